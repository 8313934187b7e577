/**
 * Facts about where the site lives, in one place, each overridable at build time: `SITE_URL` the
 * canonical origin (canonical links, hreflang alternates, the sitemap), `BASE_PATH` the path under
 * it, `REPO_URL` the repository ("source" and "edit this page" links). The deploy workflow
 * (.github/workflows/deploy.yml) sets all three from the repository it runs in.
 */
import { normalizeBase } from './lib/base';

export const siteConfig = {
  /** Origin the site is published at; used only for absolute URLs in <head> and the sitemap. */
  url: process.env.SITE_URL ?? 'https://attention-transformers.example.org',
  /** Path the site is served under (BASE_PATH, e.g. '/attention-transformers/' on a project page). */
  base: normalizeBase(process.env.BASE_PATH),
  /** The project's repository: "source" links and, per page, "edit this page". */
  repository: process.env.REPO_URL ?? 'https://github.com/attention-lesson/attention-transformers',
  /** Branch whose files the "edit this page" links open. */
  branch: 'main',
  /** The curriculum this lesson comes from, credited in the footer. */
  upstream: 'https://github.com/microsoft/AI-For-Beginners',
};
