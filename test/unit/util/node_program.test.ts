// The environment of the project's Node programs: NODE_EXTRA_CA_CERTS kept from Node while it starts (the launchers
// and nodeProgramEnv) and put back for the commands the program runs (restoreExtraCaCerts).
import assert from 'node:assert/strict';
import { nodeProgramEnv, restoreExtraCaCerts, SAVED_EXTRA_CA_CERTS_ENV } from '../../../src/util/node_program.js';

describe('node_program: NODE_EXTRA_CA_CERTS', () => {
  it('moves it aside for a child program and leaves the given environment alone', () => {
    const env = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' };
    const child = nodeProgramEnv(env);
    assert.deepEqual(child, { PATH: '/bin', [SAVED_EXTRA_CA_CERTS_ENV]: '/etc/ca.pem' });
    assert.deepEqual(env, { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
    assert.deepEqual(nodeProgramEnv({ PATH: '/bin' }), { PATH: '/bin' });
  });

  it('puts the saved value back, as the user had it', () => {
    const env: NodeJS.ProcessEnv = nodeProgramEnv({ HOME: '/root', NODE_EXTRA_CA_CERTS: '' });
    restoreExtraCaCerts(env);
    assert.deepEqual(env, { HOME: '/root', NODE_EXTRA_CA_CERTS: '' });
    const untouched: NodeJS.ProcessEnv = { HOME: '/root' };
    restoreExtraCaCerts(untouched);
    assert.deepEqual(untouched, { HOME: '/root' });
  });
});
