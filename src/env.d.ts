/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Language of the content being rendered (the source locale's on a fallback page). MDX
     *  components read it to label figures in the same language as the text around them. */
    contentTag?: string;
  }
}
