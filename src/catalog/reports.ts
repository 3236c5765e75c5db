import type { Db } from './db.js';

export interface MonthReport {
  month: string;
  files: number;
  images: number;
  originalBytes: number;
  storedBytes: number;
  devices: string[];
}

/**
 * Per month: places seen, distinct images, bytes of the originals, bytes of that month's zips
 * (an image is stored once, in the month it was first archived), and the devices involved.
 */
export function monthReports(db: Db): MonthReport[] {
  const rows = db
    .prepare(
      `SELECT month, COUNT(*) AS files, COUNT(DISTINCT hash) AS images, SUM(size) AS originalBytes,
              GROUP_CONCAT(DISTINCT device) AS devices
       FROM locations GROUP BY month ORDER BY month`,
    )
    .all() as (Omit<MonthReport, 'devices' | 'storedBytes'> & { devices: string })[];
  const stored = new Map(
    db.prepare('SELECT month, SUM(bytes) FROM archives GROUP BY month').raw().all() as [string, number][],
  );
  return rows.map((r) => ({
    ...r,
    storedBytes: stored.get(r.month) ?? 0,
    devices: r.devices.split(',').sort(),
  }));
}

export interface DeviceReport {
  device: string;
  files: number;
  images: number;
  originalBytes: number;
  firstMonth: string;
  lastMonth: string;
}

export const deviceReports = (db: Db) =>
  db
    .prepare(
      `SELECT device, COUNT(*) AS files, COUNT(DISTINCT hash) AS images, SUM(size) AS originalBytes,
              MIN(month) AS firstMonth, MAX(month) AS lastMonth
       FROM locations GROUP BY device ORDER BY device`,
    )
    .all() as DeviceReport[];

export interface VaultTotals {
  archives: number;
  images: number;
  locations: number;
  storedBytes: number;
  imageBytes: number;
}

export const vaultTotals = (db: Db) =>
  db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM archives) AS archives, (SELECT COUNT(*) FROM images) AS images,
              (SELECT COUNT(*) FROM locations) AS locations,
              (SELECT COALESCE(SUM(bytes), 0) FROM archives) AS storedBytes,
              (SELECT COALESCE(SUM(size), 0) FROM images) AS imageBytes`,
    )
    .get() as VaultTotals;
