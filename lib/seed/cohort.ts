import type { Patient, Role } from "@/db/schema";
import { createRandom } from "./random";

/* The demo's two sites, one user per role, and its synthetic patients (names and dates only). */

export const DEMO_SITES = [
  { code: "north", name: "Northside Geriatrics" },
  { code: "river", name: "Riverside Bone & Memory Clinic" },
] as const;

export const DEMO_USERS: readonly {
  email: string;
  name: string;
  role: Role;
  sites: readonly string[];
}[] = [
  {
    email: "clinician@example.org",
    name: "Dr. Ada Clinician",
    role: "clinician",
    sites: ["north", "river"],
  },
  { email: "care@example.org", name: "Cara Team", role: "care_team", sites: ["north", "river"] },
  {
    email: "quality@example.org",
    name: "Quinn Quality",
    role: "quality",
    sites: ["north", "river"],
  },
  { email: "admin@example.org", name: "Alex Admin", role: "admin", sites: [] },
];

const GIVEN_FEMALE = [
  "Margaret",
  "Dorothy",
  "Helen",
  "Ruth",
  "Evelyn",
  "Joan",
  "Betty",
  "Shirley",
  "Barbara",
  "Patricia",
  "Carol",
  "Nancy",
  "Judith",
  "Eleanor",
  "Irene",
  "Rosa",
  "Maria",
  "Yuki",
  "Ingrid",
  "Fatima",
  "Grace",
  "Alice",
  "Lorraine",
  "Edith",
  "Mei",
  "Aiko",
  "Olga",
  "Beatriz",
  "Amara",
  "Sarah",
];
const GIVEN_MALE = [
  "Robert",
  "James",
  "John",
  "William",
  "Richard",
  "Charles",
  "Thomas",
  "George",
  "Edward",
  "Frank",
  "Harold",
  "Walter",
  "Arthur",
  "Henry",
  "Samuel",
  "Ahmed",
  "Hiroshi",
  "Luis",
  "Kwame",
  "Piotr",
  "Daniel",
  "Raymond",
  "Eugene",
  "Victor",
  "Ivan",
  "Jose",
  "Ernest",
  "Albert",
  "Leon",
  "David",
];
const FAMILY = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Kowalski",
  "Okafor",
  "Tanaka",
  "Haddad",
  "Lindqvist",
  "O'Brien",
  "Novak",
  "Rossi",
  "Kim",
  "Patel",
];

/** A cohort patient: the columns of `patients` the seed fills, and the code of its site. */
export type SyntheticPatient = Pick<
  Patient,
  "mrn" | "givenName" | "familyName" | "birthDate" | "sex" | "postmenopausal"
> & { siteCode: string };

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function isoDate(year: number, dayOfYear: number): string {
  const d = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * A deterministic synthetic cohort of older adults (ages about 60–94 on `referenceYear`): 62 %
 * women, a few with sex other/unknown; most women recorded postmenopausal, some not recorded.
 */
export function syntheticCohort(
  count: number,
  referenceYear: number,
  seed = 20260213,
): SyntheticPatient[] {
  const random = createRandom(seed);
  const cohort: SyntheticPatient[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const sex: SyntheticPatient["sex"] =
      r < 0.62 ? "female" : r < 0.985 ? "male" : r < 0.993 ? "other" : "unknown";
    const age = 60 + Math.floor(Math.pow(random(), 1.3) * 35);
    const birthDate = isoDate(referenceYear - age - 1, Math.floor(random() * 365));
    const givenName =
      sex === "male"
        ? pick(random, GIVEN_MALE)
        : sex === "female"
          ? pick(random, GIVEN_FEMALE)
          : pick(random, random() < 0.5 ? GIVEN_FEMALE : GIVEN_MALE);
    const familyName = pick(random, FAMILY);
    const siteCode = random() < 0.55 ? "north" : "river";
    const postmenopausal = sex === "female" ? (random() < 0.85 ? true : null) : null;
    cohort.push({
      siteCode,
      mrn: `${siteCode === "north" ? "N" : "R"}${String(100000 + i).padStart(7, "0")}`,
      givenName,
      familyName,
      birthDate,
      sex,
      postmenopausal,
    });
  }
  return cohort;
}
