// The page's element lookup, shared by every module that touches the page.

export const $ = (id) => document.getElementById(id);
