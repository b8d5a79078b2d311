// Writes the mpp-generated keystore fixtures with an implementation independent of mpp's C++ code
// (@noble/hashes scrypt + keccak, @noble/ciphers AES-CTR, @noble/curves secp256k1).
// Usage: NOBLE=/path/to/node_modules/@noble node make-keystores.cjs
// Salts, IVs and the key are fixed (derived from labels) so the output is reproducible.
const fs = require('fs');
const path = require('path');
const noble = process.env.NOBLE;
const { scrypt } = require(path.join(noble, 'hashes/scrypt'));
const { keccak_256 } = require(path.join(noble, 'hashes/sha3'));
const { ctr } = require(path.join(noble, 'ciphers/aes'));
const { secp256k1 } = require(path.join(noble, 'curves/secp256k1'));

const hex = (b) => Buffer.from(b).toString('hex');
const label = (s) => keccak_256(new TextEncoder().encode(s));

const privateKey = label('mpp wallet keystore test key');
const publicKey = secp256k1.getPublicKey(privateKey, false).slice(1);
const address = hex(keccak_256(publicKey).slice(12));
const password = 'mpp test password \u00fc';

function keystore(name, n, r, p) {
  const salt = label('salt ' + name);
  const iv = label('iv ' + name).slice(0, 16);
  const dk = scrypt(password, salt, { N: n, r, p, dkLen: 32 });
  const ciphertext = ctr(dk.slice(0, 16), iv).encrypt(privateKey);
  const mac = keccak_256(new Uint8Array([...dk.slice(16, 32), ...ciphertext]));
  const json = {
    address,
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: hex(ciphertext),
      cipherparams: { iv: hex(iv) },
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n, p, r, salt: hex(salt) },
      mac: hex(mac),
    },
    id: '6f1d7c2e-3b8a-4e5f-9a0b-1c2d3e4f5a6b',
    version: 3,
  };
  fs.writeFileSync(path.join(__dirname, name + '.json'), JSON.stringify(json, null, 2) + '\n');
}

keystore('geth-scrypt-n262144-r8-p1', 262144, 8, 1);
keystore('light-scrypt-n4096-r8-p6', 4096, 8, 6);
fs.writeFileSync(path.join(__dirname, 'mpp-generated.expected'),
  `password=${password}\nprivate_key=${hex(privateKey)}\naddress=${address}\n`);
