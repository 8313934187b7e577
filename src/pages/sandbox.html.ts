import { frameHtml } from '../playground/frame';

/** The exercises' sandbox frame: a static page with its own CSP (see src/playground/frame.ts). */
export const GET = () => new Response(frameHtml(), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
