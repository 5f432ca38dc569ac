// `npm run lint:deps`: the layers of src/ depend one way, http → handlers → domain → data, and no
// module reaches back up or round in a circle (type-only imports count: a type cycle is still a
// cycle for a reader). The composition roots (app.ts, runtime.ts, server.ts, startup/, cli/) wire
// the layers together and may import any of them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'data-is-the-bottom',
      severity: 'error',
      comment: 'Repositories return plain rows; they know nothing of use-cases, handlers or HTTP.',
      from: { path: '^src/data/' },
      to: { path: '^src/(domain|handlers|http|startup|cli)/|^src/(app|runtime|server)\\.ts$' },
    },
    {
      name: 'domain-knows-no-http',
      severity: 'error',
      comment: 'Use-cases are free of Express: they never import handlers or the HTTP layer.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(handlers|http|startup|cli)/|^src/(app|runtime|server)\\.ts$' },
    },
    {
      name: 'handlers-below-http',
      severity: 'error',
      comment: 'The HTTP layer calls handlers; what handlers need from it they declare themselves (handlers/services.ts).',
      from: { path: '^src/handlers/' },
      to: { path: '^src/(http|startup|cli)/|^src/(app|runtime|server)\\.ts$' },
    },
    {
      name: 'nothing-imports-the-roots',
      severity: 'error',
      comment: 'Only the entry points start things: the layers never import the composition roots.',
      from: { path: '^src/(data|domain|handlers|http)/' },
      to: { path: '^src/(app|runtime|server)\\.ts$|^src/(startup|cli)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|generated)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
  },
};
