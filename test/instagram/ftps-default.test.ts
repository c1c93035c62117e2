import { describe, expect, it } from 'vitest';
import { parseInstagramSettings } from '#core/instagram/settings.ts';

const ftp = {
  FTP_SERVER: 'ftp.example.com',
  FTP_USERNAME: 'u',
  FTP_PASSWORD: 'p',
  HTTP_SERVER: 'https://media.example.com',
};

describe('media hosting transport', () => {
  it('uses FTPS when deployed unless FTP_SECURE=false is set, and warns when it is', () => {
    const warnings: string[] = [];
    const warn = (m: string) => void warnings.push(m);
    expect(parseInstagramSettings(ftp, { deployed: true, warn }).ftp?.secure).toBe(true);
    expect(warnings).toEqual([]);

    expect(
      parseInstagramSettings({ ...ftp, FTP_SECURE: 'false' }, { deployed: true, warn }).ftp?.secure,
    ).toBe(false);
    expect(warnings).toEqual([
      'FTP_SECURE=false: media and the FTP password go to ftp.example.com unencrypted; remove it (FTPS is the default when deployed) unless the server has no TLS',
    ]);
  });

  it('keeps plain FTP the local default, and FTPS when asked for', () => {
    expect(parseInstagramSettings(ftp).ftp?.secure).toBe(false);
    expect(parseInstagramSettings({ ...ftp, FTP_SECURE: 'true' }).ftp?.secure).toBe(true);
  });
});
