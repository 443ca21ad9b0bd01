"""Demo records of 公文与报告 (idempotent, invented content only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any


# --- document ---
def load_documents(result: Any) -> None:
    """A draft 情况汇报 of 太华路街道妇联 for this year, drafted from the demo county's records as its
    chair would (the sections she writes herself stay to be written). Once per year."""
    from datetime import date

    from django.utils import timezone

    from gongjian.kernel.context import Acting
    from gongjian.kernel.documents import Kind
    from gongjian.kernel.models import Organization, User

    from .models import Document
    from .services import document as services

    street = Organization.objects.filter(name="太华路街道妇联").first()
    user = User.objects.filter(username="taihua_fed").first()
    if street is None or user is None:
        return
    positions = [p for p in user.current_positions() if p.organization_id == street.pk]
    if not positions:
        return
    user.positions = positions
    user.acting = Acting(positions[0])
    year = timezone.localdate().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    if Document.objects.filter(organization=street, kind=Kind.SITUATION_REPORT, period_from=start,
                               period_to=end).exists():
        return
    services.document_draft(actor=user, kind=Kind.SITUATION_REPORT, organization=street, start=start, end=end)
    result.count("documents")
# --- end document ---
# --- news ---
_NEWS_ADOPTED = ("太华路街道妇联党群共建做好“妇女之家”创建", (
    "太华路街道妇联紧紧依靠“党建带妇建”，以建设“坚强阵地”和“温暖之家”为主题，按照先抓试点、逐步推开、"
    "全面覆盖的工作思路，推动辖区“妇女之家”建设平衡发展。\n"
    "建阵地、抓宣传，实现“妇女之家”全覆盖。以建设村、社区活动场所为契机，实现辖区22个村、4个社区"
    "“妇女之家”阵地全覆盖。\n"
    "搞活动、创文明，发挥“妇女之家”作用。组织成立文艺宣传队、妇女秧歌队、锣鼓队、自乐班等妇女文艺组织，"
    "公益演出二十多次。\n"
    "重教育、抓培训，提高“妇女之家”服务实效。小留、郭家、南营等村组织妇女参加实用技术培训10余次，"
    "参训500余人。（演示稿件）"), "太华办姚慧敏供稿")
_NEWS_RETURNED = ("小留村妇女之家举办果树修剪技术培训", (
    "近日，小留村妇女之家邀请市农技中心技术员，为村里妇女讲解果树冬季修剪技术。\n"
    "培训采取课堂讲解和果园实地示范相结合的方式，妇女们边听边学、现场操作。（演示稿件）"), "小留村妇联刘桂兰供稿")
_NEWS_WAITING = ("郭家村开展“五好文明家庭”评选活动", (
    "为弘扬家庭美德，郭家村妇联在全村开展“五好文明家庭”评选活动。\n"
    "活动经过户主申报、村民小组推荐、村“两委”评议和张榜公示，评选出“五好文明家庭”12户，"
    "并在村妇女之家举行了表彰会。（演示稿件）"), "郭家村妇联郭彩霞供稿")


def _news_actor(username: str) -> Any:
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    user = User.objects.filter(username=username).first()
    positions = list(user.current_positions()) if user is not None else []
    if user is None or not positions:
        return None
    user.positions = positions
    user.acting = Acting(positions[0])
    return user


def _news_photo(name: str, colour: tuple[int, int, int]) -> Any:
    """An invented photo (a drawn scene, no real person) as a phone would send it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (222, 235, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=(120, 160, 90))
    draw.rectangle((300, 260, 900, 560), fill=colour)
    draw.polygon([(260, 270), (600, 90), (940, 270)], fill=(150, 40, 40))
    for x in range(360, 860, 120):
        draw.rectangle((x, 330, x + 60, 420), fill=(250, 240, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def load_news(result: Any) -> None:
    """第一篇-like pieces: 太华路街道妇联's to the county, adopted with an edit; 小留村's to the street,
    returned with a reason; 郭家村's waiting. Idempotent (by title); invented content only."""
    from .models import NewsSubmission
    from .services import news as services

    street, county = _news_actor("taihua_fed"), _news_actor("huayin_fed")
    xiaoliu, guojia = _news_actor("xiaoliu_women"), _news_actor("guojia_women")
    if None in (street, county, xiaoliu, guojia):
        return
    made = 0
    title, body, byline = _NEWS_ADOPTED
    if not NewsSubmission.objects.filter(title=title).exists():
        piece = services.news_submit(actor=street, title=title, body=body, byline=byline, photos=[
            services.PhotoIn(_news_photo("妇女之家.jpg", (230, 200, 160)), "社区“妇女之家”活动室"),
            services.PhotoIn(_news_photo("秧歌队.jpg", (200, 120, 120)), "妇女秧歌队公益演出")])
        services.news_adopt(actor=county, submission=piece, title=title,
                            body=body.replace("（演示稿件）", "（演示稿件，县妇联编辑）"))
        made += 1
    title, body, byline = _NEWS_RETURNED
    if not NewsSubmission.objects.filter(title=title).exists():
        piece = services.news_submit(actor=xiaoliu, title=title, body=body, byline=byline, photos=[
            services.PhotoIn(_news_photo("培训.jpg", (170, 190, 120)), "")])
        services.news_return(actor=street, submission=piece,
                             reason="请补充培训的时间、参训人数，并给照片写上说明。")
        made += 1
    title, body, byline = _NEWS_WAITING
    if not NewsSubmission.objects.filter(title=title).exists():
        services.news_submit(actor=guojia, title=title, body=body, byline=byline)
        made += 1
    if made and hasattr(result, "count"):
        for _n in range(made):
            result.count("news_submissions")
# --- end news ---


def load(result: Any) -> None:
    # --- document ---
    load_documents(result)
    # --- end document ---
    # --- news ---
    load_news(result)
    # --- end news ---
    return None
