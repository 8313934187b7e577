/**
 * Facts about where the site lives, in one place. `SITE_URL` overrides the canonical origin at
 * build time (canonical links, hreflang alternates and the sitemap use it).
 */
export const siteConfig = {
  /** Origin the site is published at; used only for absolute URLs in <head> and the sitemap. */
  url: process.env.SITE_URL ?? 'https://attention-transformers.example.org',
  /** The project's repository: "source" links and, per page, "edit this page". */
  repository: 'https://github.com/attention-lesson/attention-transformers',
  /** Branch whose files the "edit this page" links open. */
  branch: 'main',
  /** The curriculum this lesson comes from, credited in the footer. */
  upstream: 'https://github.com/microsoft/AI-For-Beginners',
};
