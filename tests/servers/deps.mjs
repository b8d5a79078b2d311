// Re-exports the pinned npm packages for the e2e tests in ../e2e, which cannot resolve bare
// specifiers against this directory's node_modules themselves. Load through lib.mjs's loadDeps().
export * as viem from 'viem';
export * as viemAccounts from 'viem/accounts';
export * as viemChains from 'viem/chains';
export * as viemTempo from 'viem/tempo';
export * as mppx from 'mppx';
export * as mppxClient from 'mppx/client';
export * as mppxTempo from 'mppx/tempo';
