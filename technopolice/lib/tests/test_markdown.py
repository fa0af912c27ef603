from django.test import SimpleTestCase

from technopolice.lib.markdown import UGC_REL, render


class MarkdownTests(SimpleTestCase):
    def test_it_renders_markdown(self):
        self.assertIn("<strong>VSA</strong>", render("**VSA**"))

    def test_it_strips_scripts_and_event_handlers(self):
        html = render('<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))')
        self.assertNotIn("<script", html)
        self.assertNotIn("onerror", html)
        self.assertNotIn("javascript:", html)

    def test_it_marks_links_noopener(self):
        self.assertIn('rel="noopener noreferrer nofollow"', render("[CNIL](https://www.cnil.fr/)"))

    def test_it_marks_user_content_links_ugc_when_asked(self):
        html = render("[CNIL](https://www.cnil.fr/)", rel=UGC_REL)
        self.assertIn('rel="noopener noreferrer nofollow ugc"', html)
