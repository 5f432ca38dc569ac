import fs from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import YAML from 'yaml';

// The SDK's version follows the contract's: same major (a breaking contract change is a major)
// and minor (new operations); the patch is the SDK's own. Its license and where it is published
// must agree: an UNLICENSED package goes to the private registry, never public npm.

const sdk = JSON.parse(fs.readFileSync('sdk/package.json', 'utf8')) as {
  version: string;
  license: string;
  publishConfig?: { registry?: string; access?: string };
};

describe('the SDK version', () => {
  test('when compared with the contract info.version, then major and minor are the same', () => {
    const contract = YAML.parse(fs.readFileSync('openapi/reviews.yaml', 'utf8')) as { info: { version: string } };
    const majorMinor = (version: string) => version.split('.').slice(0, 2).join('.');

    expect(majorMinor(sdk.version)).toBe(majorMinor(contract.info.version));
  });

  test('when the changelog is read, then it has an entry for this version (written by changesets)', () => {
    const changelog = fs.readFileSync('sdk/CHANGELOG.md', 'utf8');

    expect(changelog).toMatch(new RegExp(`^## ${sdk.version.replace(/\./g, '\\.')}$`, 'm'));
  });
});

describe('the SDK license and publish target', () => {
  test('when the license is UNLICENSED, then it is published restricted to a private registry, and the workflow does not make it public', () => {
    const workflow = fs.readFileSync('.github/workflows/publish-sdk.yml', 'utf8');

    expect(sdk.license).toBe('UNLICENSED');
    expect(sdk.publishConfig).toEqual({ registry: 'https://npm.pkg.github.com', access: 'restricted' });
    expect(workflow).toContain('registry-url: https://npm.pkg.github.com');
    expect(workflow).not.toMatch(/--access\s+public|registry\.npmjs\.org/);
  });
});
