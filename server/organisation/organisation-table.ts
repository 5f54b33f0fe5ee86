/** `org list` for a person at the console: the hospitals, then each hospital's wards and beds. */
import type { OrganisationListing } from './organisation';

export function organisationTable(listing: OrganisationListing): string {
  const lines: string[] = [];
  for (const region of listing.regions) lines.push(`region ${region.code}  ${region.name}`);
  for (const hospital of listing.hospitals) {
    lines.push(
      `hospital ${hospital.code}  ${hospital.name}  (region ${hospital.regionCode}, capacity ${String(hospital.bedCapacity)})`,
    );
    for (const ward of listing.wards.filter((w) => w.hospitalCode === hospital.code)) {
      lines.push(
        `  ward ${ward.code}  ${ward.name}  floor ${String(ward.floor)}  ${String(ward.beds)} beds`,
      );
      const beds = listing.beds.filter(
        (bed) => bed.hospitalCode === hospital.code && bed.wardCode === ward.code,
      );
      for (const bed of beds) lines.push(`    bed ${bed.number}  ${bed.status}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
