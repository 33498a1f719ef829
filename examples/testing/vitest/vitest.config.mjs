// This project's own vitest config; without one, vitest would look in the folders above and,
// inside kubesim's clone, pick up the repository's config (which runs test/ only).
export default { test: { include: ['*.test.ts'] } };
