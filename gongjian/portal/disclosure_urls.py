"""Public pages of the disclosure body of work."""

from django.urls import path

from gongjian.disclosure import public_views

from . import disclosure_views as v

urlpatterns = [
    path("disclosure/", v.index, name="disclosure-index"),
    path("disclosure/search/", v.search, name="disclosure-search"),
    path("disclosure/feed.atom", v.feed, name="disclosure-feed"),
    path("disclosure/sitemap.xml", v.sitemap, name="disclosure-sitemap"),
    path("disclosure/verify/", v.verify, name="disclosure-verify"),
    path("disclosure/track/", public_views.track, name="disclosure-track"),
    path("disclosure/proof/<int:version_id>/", v.proof, name="disclosure-proof"),
    path("disclosure/org/<int:org_id>/", v.board, name="disclosure-board"),
    path("disclosure/org/<int:org_id>/feed.atom", v.org_feed, name="disclosure-org-feed"),
    path("disclosure/org/<int:org_id>/subscribe/", v.org_subscribe, name="disclosure-org-subscribe"),
    path("disclosure/org/<int:org_id>/poster.pdf", v.poster, name="disclosure-poster"),
    path("disclosure/org/<int:org_id>/suggest/", public_views.suggest, name="disclosure-suggest"),
    path("disclosure/org/<int:org_id>/c/<str:category>/", v.category, name="disclosure-category"),
    path("disclosure/item/<int:pk>/", v.item, name="disclosure-item"),
    path("disclosure/item/<int:pk>/v<int:number>/", v.version, name="disclosure-version"),
    path("disclosure/item/<int:pk>/diff/", v.diff, name="disclosure-diff"),
    path("disclosure/item/<int:pk>/files/<int:attachment_id>/", v.attachment, name="disclosure-file"),
]
