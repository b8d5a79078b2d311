// Chat templates (mpp chat --save, -t, -p; mpp templates) and models.toml (mpp models default and
// alias, per-model options), through the real binary. What a request carried is read where it
// arrived: a free OpenAI-compatible endpoint on loopback that records each body and answers with the
// deterministic upstream the test servers share (tests/servers/lib/upstream.mjs); one paid run goes
// through the mppx reference server (paid-service.mjs) on the chain stand-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;

let upstream; // {url, received: [{path, body}]}
let chain;
let paid;

async function startRecordingUpstream() {
  const { chatCompletion } = await import(pathToFileURL(path.join(h.SERVERS_DIR, 'lib/upstream.mjs')).href);
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({ path: req.url, body });
      const answer = chatCompletion(body);
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => server.close() };
}

after(async () => {
  upstream?.close();
  await h.stopAll();
});

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const usage = (r) => assert.equal(r.code, 2, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
/** --service openai on the recording endpoint (its chat path is /v1/chat/completions). */
const local = () => ['--service', 'openai', '--base-url', upstream.url];
const lastBody = () => upstream.received.at(-1).body;
const systemOf = (body) => body.messages.find((m) => m.role === 'system')?.content;
const userOf = (body) => body.messages.filter((m) => m.role === 'user').at(-1)?.content;

describe('templates, model aliases and defaults', { skip, timeout }, () => {
  before(async () => {
    upstream = await startRecordingUpstream();
  });

  test('--save stores the request without calling anything; -t -p sends it with $KEY filled', async () => {
    const home = h.makeHome();
    const schema = path.join(home, 'schema.json');
    fs.writeFileSync(schema, JSON.stringify({ type: 'object', properties: { answer: { type: 'string' } } }));
    const saved = await h.runMpp(['chat', '--save', 't1', ...local(), '-m', 'gpt-4o-mini', '-s', 'Answer in $lang, for $$5.',
      '--temperature', '0.3', '--max-tokens', '50', '-o', 'reasoning_effort=low', '--schema', schema], { home });
    ok(saved);
    assert.equal(saved.stdout, '');
    const file = path.join(home, 'templates', 't1.toml');
    assert.equal(saved.stderr, `mpp: saved template 't1' to ${file}\n`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(upstream.received.length, 0, '--save sends nothing');
    fs.rmSync(schema); // the template holds the schema itself

    const before = upstream.received.length;
    const r = await h.runMpp(['chat', '-t', 't1', '-p', 'lang', 'C', '-v', 'what', 'is', 'a', 'pointer'], { home });
    ok(r);
    assert.equal(upstream.received.length, before + 1);
    assert.equal(r.stdout, 'echo: what is a pointer\n');
    assert.match(r.stderr, /mpp: template 't1': service openai, model gpt-4o-mini \(its price applies\)/);
    const { path: route, body } = upstream.received.at(-1);
    assert.equal(route, '/v1/chat/completions');
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(systemOf(body), 'Answer in C, for $5.');
    assert.equal(userOf(body), 'what is a pointer');
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 50);
    assert.equal(body.reasoning_effort, 'low');
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'output', schema: { type: 'object', properties: { answer: { type: 'string' } } }, strict: true },
    });
  });

  test('a template keeps its -f files: stdin, the saved files, the flag files, then the prompt', async () => {
    const home = h.makeHome();
    const rules = path.join(home, 'RULES.md');
    fs.writeFileSync(rules, 'Be strict.\n');
    ok(await h.runMpp(['chat', '--save', 'rev', ...local(), '-m', 'gpt-4o-mini', '-f', rules], { home }));
    const shown = await h.runMpp(['templates', 'show', 'rev'], { home });
    ok(shown);
    assert.ok(shown.stdout.includes(rules), shown.stdout);
    fs.writeFileSync(rules, 'Be strict.\nNo nits.\n'); // the file is read when the template is used
    const extra = path.join(home, 'extra.txt');
    fs.writeFileSync(extra, 'more');
    const r = await h.runMpp(['chat', '-t', 'rev', '-f', extra, 'review'], { home, stdin: 'diff --git a/x b/x\n' });
    ok(r);
    assert.equal(userOf(lastBody()),
      `diff --git a/x b/x\n\n<file name="${rules}">\nBe strict.\nNo nits.\n</file>\n\n<file name="${extra}">\nmore\n</file>\n\nreview`);
  });

  test('flags win over the template; a template prompt goes before the prompt words', async () => {
    const home = h.makeHome();
    ok(await h.runMpp(['chat', '--save', 'p', ...local(), '-m', 'gpt-4o-mini', '-s', 'Be $tone.', '--temperature', '0.3', 'Translate:'], { home }));
    const r = await h.runMpp(['chat', '-t', 'p', '-p', 'tone', 'brief', '-m', 'other-model', '--temperature', '1.5', 'bonjour'], { home });
    ok(r);
    const body = lastBody();
    assert.equal(body.model, 'other-model');
    assert.equal(body.temperature, 1.5);
    assert.equal(systemOf(body), 'Be brief.');
    assert.equal(userOf(body), 'Translate: bonjour');
    // -t with --save: the template under the new flags, its placeholders kept for later.
    ok(await h.runMpp(['chat', '-t', 'p', '--save', 'p2', '--max-tokens', '20'], { home }));
    const shown = await h.runMpp(['templates', 'show', 'p2'], { home });
    ok(shown);
    assert.match(shown.stdout, /^system = 'Be \$tone\.'$/m);
    assert.match(shown.stdout, /^max_tokens = 20$/m);
    assert.match(shown.stdout, /^temperature = 0\.3$/m);
    ok(await h.runMpp(['chat', '-t', 'p2', '-p', 'tone', 'kind', 'merci'], { home }));
    assert.equal(systemOf(lastBody()), 'Be kind.');
    assert.equal(userOf(lastBody()), 'Translate: merci');
    assert.equal(lastBody().max_tokens, 20);
    const system = await h.runMpp(['chat', '-t', 'p', '-p', 'tone', 'x', '-s', 'From the flag', 'hi'], { home });
    ok(system);
    assert.equal(systemOf(lastBody()), 'From the flag');
    assert.equal(lastBody().temperature, 0.3);
  });

  test('an unfilled placeholder, an unused -p, an unknown template and an unknown key are exit 2, nothing sent', async () => {
    const home = h.makeHome();
    ok(await h.runMpp(['chat', '--save', 't1', ...local(), '-s', 'Answer in $lang.'], { home }));
    const before = upstream.received.length;
    const unfilled = await h.runMpp(['chat', '-t', 't1', 'hello'], { home });
    usage(unfilled);
    assert.equal(unfilled.stderr, "mpp: error: template 't1' needs a value for $lang: give -p lang VALUE\n");
    const unused = await h.runMpp(['chat', '-t', 't1', '-p', 'lang', 'C', '-p', 'colour', 'red', 'hello'], { home });
    usage(unused);
    assert.match(unused.stderr, /-p colour: the template 't1' has no \$colour/);
    const unknown = await h.runMpp(['chat', '-t', 'nope', 'hello'], { home });
    usage(unknown);
    assert.match(unknown.stderr, /no template 'nope' .*mpp templates list/);
    fs.writeFileSync(path.join(home, 'templates', 'bad.toml'), 'model = "m"\ncolour = "red"\n', { mode: 0o600 });
    const bad = await h.runMpp(['chat', '-t', 'bad', 'hello'], { home });
    usage(bad);
    assert.match(bad.stderr, /bad\.toml line 2: unknown key 'colour'/);
    const quoted = await h.runMpp(['quote', '-t', 'bad', 'hello'], { home });
    usage(quoted);
    assert.equal(upstream.received.length, before, 'nothing was sent');
  });

  test('templates list, show, edit and remove', async () => {
    const home = h.makeHome();
    const empty = await h.runMpp(['templates', 'list'], { home });
    ok(empty);
    assert.equal(empty.stdout, '');
    ok(await h.runMpp(['chat', '--save', 'beta', ...local(), '-m', 'gpt-4o-mini', '-s', 'Sys $x'], { home }));
    ok(await h.runMpp(['chat', '--save', 'alpha', '--url', `${upstream.url}/v1/chat/completions`], { home }));
    const list = await h.runMpp(['templates', 'list'], { home });
    ok(list);
    assert.equal(list.stdout, 'alpha\nbeta\n');
    const show = await h.runMpp(['templates', 'show', 'beta'], { home });
    ok(show);
    assert.match(show.stdout, /^model = 'gpt-4o-mini'$/m);
    assert.match(show.stdout, /^system = 'Sys \$x'$/m);
    assert.match(show.stdout, /^service = 'openai'$/m);

    const editor = path.join(home, 'editor.sh');
    fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/gpt-4o-mini/edited-model/" "$1"\n', { mode: 0o700 });
    ok(await h.runMpp(['templates', 'edit', 'beta'], { home, env: { EDITOR: editor } }));
    ok(await h.runMpp(['chat', '-t', 'beta', '-p', 'x', 'y', 'hi'], { home }));
    assert.equal(lastBody().model, 'edited-model');
    const breaker = path.join(home, 'breaker.sh');
    fs.writeFileSync(breaker, '#!/bin/sh\necho "colour = 1" >> "$1"\n', { mode: 0o700 });
    const broken = await h.runMpp(['templates', 'edit', 'beta'], { home, env: { VISUAL: breaker, EDITOR: editor } });
    usage(broken);
    assert.match(broken.stderr, /unknown key 'colour'.*fix it with 'mpp templates edit beta'/);

    const removed = await h.runMpp(['templates', 'remove', 'beta'], { home });
    ok(removed);
    assert.match(removed.stderr, /removed template 'beta'/);
    assert.equal((await h.runMpp(['templates', 'list'], { home })).stdout, 'alpha\n');
    usage(await h.runMpp(['templates', 'remove', 'beta'], { home }));
    usage(await h.runMpp(['templates', 'show', 'beta'], { home }));
  });

  test('-m ALIAS sends the model it stands for; aliases are listed and removed', async () => {
    const home = h.makeHome();
    const config = path.join(home, 'config.toml');
    fs.writeFileSync(config, '# my settings\nservice = "openai"\n');
    const set = await h.runMpp(['models', 'alias', 'fast', 'gpt-4o-mini'], { home });
    ok(set);
    assert.match(set.stderr, /-m fast is now gpt-4o-mini \(.*models\.toml\)/);
    assert.equal(fs.readFileSync(config, 'utf8'), '# my settings\nservice = "openai"\n', 'config.toml is not rewritten');
    const r = await h.runMpp(['chat', ...local(), '-m', 'fast', '-v', 'hi'], { home });
    ok(r);
    assert.equal(lastBody().model, 'gpt-4o-mini');
    assert.match(r.stderr, /model alias 'fast' is gpt-4o-mini/);
    ok(await h.runMpp(['models', 'alias', 'big', 'gpt-4o'], { home }));
    const listed = await h.runMpp(['models', 'aliases'], { home });
    ok(listed);
    assert.equal(listed.stdout, 'big   gpt-4o\nfast  gpt-4o-mini\n');
    const one = await h.runMpp(['models', 'alias', 'fast'], { home });
    ok(one);
    assert.equal(one.stdout, 'gpt-4o-mini\n');
    ok(await h.runMpp(['models', 'alias', 'fast', '--remove'], { home }));
    assert.equal((await h.runMpp(['models', 'aliases'], { home })).stdout, 'big  gpt-4o\n');
    usage(await h.runMpp(['models', 'alias', 'fast'], { home }));
    ok(await h.runMpp(['chat', ...local(), '-m', 'fast', 'hi'], { home }));
    assert.equal(lastBody().model, 'fast', 'a removed alias is just a model name again');
    usage(await h.runMpp(['models', 'alias', 'bad name', 'x'], { home }));
  });

  test('models default sets the model a chat without -m sends, per service', async () => {
    const home = h.makeHome();
    const builtin = await h.runMpp(['models', 'default', '--service', 'openai'], { home });
    ok(builtin);
    assert.equal(builtin.stdout, 'gpt-4o-mini\n', "the preset's own default");
    ok(await h.runMpp(['models', 'default', '--service', 'openai', 'my-default'], { home }));
    assert.equal((await h.runMpp(['models', 'default', '--service', 'openai'], { home })).stdout, 'my-default\n');
    const r = await h.runMpp(['chat', ...local(), '-v', 'hi'], { home });
    ok(r);
    assert.equal(lastBody().model, 'my-default');
    assert.match(r.stderr, /default model for openai: my-default/);
    ok(await h.runMpp(['chat', ...local(), '-m', 'explicit', 'hi'], { home }));
    assert.equal(lastBody().model, 'explicit', '-m wins over the default');
    // Another service keeps its own default.
    ok(await h.runMpp(['chat', '--service', 'openrouter', '--base-url', upstream.url, 'hi'], { home }));
    assert.equal(lastBody().model, 'openai/gpt-4o-mini');
    ok(await h.runMpp(['models', 'default', '--service', 'openai', '--unset'], { home }));
    ok(await h.runMpp(['chat', ...local(), 'hi'], { home }));
    assert.equal(lastBody().model, 'gpt-4o-mini');
    usage(await h.runMpp(['models', 'default', '--service', 'nosuch', 'x'], { home }));
  });

  test('per-model options reach the request under the template and the flags', async () => {
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'models.toml'),
      '[options."gpt-4o-mini"]\ntemperature = 0.2\nmax_tokens = 77\noptions = ["reasoning_effort=high"]\n', { mode: 0o600 });
    const r = await h.runMpp(['chat', ...local(), '-m', 'gpt-4o-mini', '-v', 'hi'], { home });
    ok(r);
    assert.equal(lastBody().temperature, 0.2);
    assert.equal(lastBody().max_tokens, 77);
    assert.equal(lastBody().reasoning_effort, 'high');
    assert.match(r.stderr, /default options for model gpt-4o-mini/);
    ok(await h.runMpp(['chat', ...local(), 'hi'], { home }));
    assert.equal(lastBody().temperature, 0.2, "the service's default model takes its options too");
    ok(await h.runMpp(['chat', ...local(), '-m', 'other', 'hi'], { home }));
    assert.equal(lastBody().temperature, undefined, 'another model takes none');
    ok(await h.runMpp(['chat', '--save', 'warm', ...local(), '-m', 'gpt-4o-mini', '--temperature', '0.7'], { home }));
    ok(await h.runMpp(['chat', '-t', 'warm', 'hi'], { home }));
    assert.equal(lastBody().temperature, 0.7, 'the template wins over the model default');
    assert.equal(lastBody().max_tokens, 77, 'what the template leaves unset still comes from the model');
    ok(await h.runMpp(['chat', '-t', 'warm', '--temperature', '1.1', '-o', 'reasoning_effort=low', 'hi'], { home }));
    assert.equal(lastBody().temperature, 1.1, 'the flag wins over both');
    assert.equal(lastBody().reasoning_effort, 'low');
    fs.writeFileSync(path.join(home, 'models.toml'), '[options."gpt-4o-mini"]\ntemprature = 0.2\n');
    const bad = await h.runMpp(['chat', ...local(), 'hi'], { home });
    usage(bad);
    assert.match(bad.stderr, /models\.toml line 2: unknown key 'options\.gpt-4o-mini\.temprature'/);
  });

  test('a template pays like the flags it holds: the reference server is paid once, and quote prices it', async () => {
    chain = await h.startChain();
    paid = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000' });
    const rpc = `${chain.url}/client`;
    const home = h.makeHome();
    ok(await h.runMpp(['chat', '--save', 'paid', '--service', 'openai', '--base-url', `${paid.url}/openai`, '-m', 'gpt-4o-mini',
      '-s', 'Be $tone'], { home }));
    const payer = await h.newPayer(chain);
    const r = await h.runMpp(['chat', '-t', 'paid', '-p', 'tone', 'terse', '--network', 'testnet', '--rpc-url', rpc, 'hello', 'paid'],
      { home, env: { MPP_PRIVATE_KEY: payer.key } });
    ok(r);
    assert.equal(r.stdout, 'echo: hello paid\n');
    const request = (await paid.requests()).at(-1);
    assert.equal(request.path, '/openai/v1/chat/completions');
    assert.equal(request.status, 200);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1);
    const quote = await h.runMpp(['quote', '-t', 'paid', '-p', 'tone', 'terse', '--json', '--network', 'testnet', '--rpc-url', rpc, 'hi'], { home });
    ok(quote);
    const report = JSON.parse(quote.stdout);
    assert.equal(report.body_model, 'gpt-4o-mini');
    assert.match(report.url, /\/openai\/v1\/chat\/completions$/);
    assert.equal(report.status, 402);
    assert.equal(report.challenges[0].amount, '0.001'); // 1000 base units of a 6-decimal token
  });
});
