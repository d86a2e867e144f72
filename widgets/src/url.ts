/**
 * URL patterns exactly as the collector matches them: `*` matches any run of characters,
 * everything else literally; a pattern starting with `http://` or `https://` is matched
 * against the full URL, any other against the path; a trailing `/` is not significant.
 */

function compile(pattern: string): RegExp {
  const trimmed = pattern.replace(/\/+$/, "") || "/";
  const source = trimmed
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`);
}

export function matches(pattern: string, href: string): boolean {
  const url = new URL(href);
  const full = /^https?:\/\//.test(pattern);
  const bare = (full ? url.href : url.pathname).replace(/\/+$/, "");
  const compiled = compile(pattern);
  return compiled.test(bare || "/") || compiled.test(`${bare}/`);
}

/** A path pattern without wildcards names one page the tour can take the user to. */
export function isPage(pattern: string): boolean {
  return pattern.startsWith("/") && !pattern.includes("*");
}
