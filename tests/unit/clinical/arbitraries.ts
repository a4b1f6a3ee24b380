import fc from "fast-check";
import { BMD_SITES, FRACTURE_SITES, MEDICATION_CLASSES, SEXES } from "@/lib/clinical";
import type { AssessInput, Observation } from "@/lib/clinical";
import { AS_OF, bornAged, daysAgo } from "./fixtures";

/**
 * Valid AssessInputs with observations up to `maxAgo` days old. The default spans every freshness
 * window; a small `maxAgo` crowds observations onto the same days to exercise the tie-breaks.
 */
export function makeAssessInputArb(maxAgo = 4000): fc.Arbitrary<AssessInput> {
  const ago = fc.integer({ min: 0, max: maxAgo });
  const effective = ago.map((days) => daysAgo(days));
  const item = fc.integer({ min: 0, max: 3 });
  const maybeItem = fc.option(item, { nil: null, freq: 6 });
  const tenths = (min: number, max: number): fc.Arbitrary<number> =>
    fc.integer({ min: min * 10, max: max * 10 }).map((n) => n / 10);

  const phq9Arb: fc.Arbitrary<Observation> = fc.oneof(
    fc
      .record({ effective, items: fc.array(maybeItem, { minLength: 9, maxLength: 9 }) })
      .map((r): Observation => ({ kind: "phq9", ...r })),
    fc
      .record({ effective, total: fc.integer({ min: 0, max: 27 }) })
      .map((r): Observation => ({ kind: "phq9", ...r })),
    fc
      .record({
        effective,
        items: fc.array(item, { minLength: 9, maxLength: 9 }),
        difficulty: item,
      })
      .map((r): Observation => ({ kind: "phq9", ...r, total: r.items.reduce((a, b) => a + b, 0) })),
  );

  const phq2Arb: fc.Arbitrary<Observation> = fc.oneof(
    fc
      .record({ effective, items: fc.array(maybeItem, { minLength: 2, maxLength: 2 }) })
      .map((r): Observation => ({ kind: "phq2", ...r })),
    fc
      .record({ effective, total: fc.integer({ min: 0, max: 6 }) })
      .map((r): Observation => ({ kind: "phq2", ...r })),
  );

  const answer = fc.option(fc.constantFrom("yes" as const, "no" as const), { nil: null, freq: 8 });
  const gds15Arb: fc.Arbitrary<Observation> = fc.oneof(
    fc
      .record({ effective, answers: fc.array(answer, { minLength: 15, maxLength: 15 }) })
      .map((r): Observation => ({ kind: "gds15", ...r })),
    fc
      .record({ effective, total: fc.integer({ min: 0, max: 15 }) })
      .map((r): Observation => ({ kind: "gds15", ...r })),
  );

  const score = tenths(-7, 7);
  const bmdArb: fc.Arbitrary<Observation> = fc
    .record({
      effective,
      site: fc.constantFrom(...BMD_SITES),
      scores: fc.oneof(
        score.map((tScore) => ({ tScore })),
        score.map((zScore) => ({ zScore })),
        fc.record({ tScore: score, zScore: score }),
      ),
    })
    .map((r): Observation => ({ kind: "bmd", effective: r.effective, site: r.site, ...r.scores }));

  const fraxArb: fc.Arbitrary<Observation> = fc
    .record({
      effective,
      majorOsteoporoticPct: tenths(0, 60),
      hipPct: tenths(0, 30),
      withBmd: fc.boolean(),
    })
    .map((r): Observation => ({ kind: "frax", ...r }));

  const vitaminDArb: fc.Arbitrary<Observation> = fc
    .record({
      effective,
      value: fc.integer({ min: 1, max: 5000 }).map((n) => n / 10),
      unit: fc.constantFrom("ng/mL" as const, "nmol/L" as const),
    })
    .map((r): Observation => ({ kind: "vitaminD", ...r }));

  const fractureArb: fc.Arbitrary<Observation> = fc
    .record({ effective, site: fc.constantFrom(...FRACTURE_SITES), fragility: fc.boolean() })
    .map((r): Observation => ({ kind: "fracture", ...r }));

  const fallsArb: fc.Arbitrary<Observation> = fc
    .record(
      {
        effective,
        countPast12Months: fc.integer({ min: 0, max: 4 }),
        injurious: fc.boolean(),
        unsteady: fc.boolean(),
        worriedAboutFalling: fc.boolean(),
      },
      { requiredKeys: ["effective", "countPast12Months"] },
    )
    .map((r): Observation => {
      const { injurious, ...rest } = r;
      // An injurious fall needs a fall (validation rule).
      return injurious === true && r.countPast12Months > 0
        ? { kind: "falls", ...rest, injurious }
        : { kind: "falls", ...rest };
    });

  const medicationArb: fc.Arbitrary<Observation> = fc
    .record({
      medicationClass: fc.constantFrom(...MEDICATION_CLASSES),
      name: fc.option(fc.constantFrom("alpha", "beta"), { nil: undefined }),
      dose: fc.option(tenths(0.5, 40), { nil: undefined }),
      recordedAgo: fc.integer({ min: 0, max: Math.min(maxAgo, 1500) }),
      startAgo: fc.option(fc.integer({ min: 0, max: Math.min(maxAgo, 1500) }), { nil: undefined }),
      stopAfterStart: fc.option(fc.integer({ min: 0, max: Math.min(maxAgo, 1500) }), {
        nil: undefined,
      }),
    })
    .map((r): Observation => {
      const observation: Observation = {
        kind: "medication",
        effective: daysAgo(r.recordedAgo),
        class: r.medicationClass,
      };
      if (r.name !== undefined) observation.name = r.name;
      if (r.dose !== undefined && r.medicationClass === "glucocorticoid")
        observation.prednisoloneMgPerDay = r.dose;
      if (r.startAgo !== undefined) {
        observation.startedOn = daysAgo(r.startAgo);
        if (r.stopAfterStart !== undefined)
          observation.stoppedOn = daysAgo(Math.max(0, r.startAgo - r.stopAfterStart));
      } else if (r.stopAfterStart !== undefined) {
        observation.stoppedOn = daysAgo(r.stopAfterStart);
      }
      return observation;
    });

  const observationArb: fc.Arbitrary<Observation> = fc.oneof(
    phq9Arb,
    phq2Arb,
    gds15Arb,
    bmdArb,
    fraxArb,
    vitaminDArb,
    fractureArb,
    fallsArb,
    medicationArb,
  );

  return fc
    .record({
      age: fc.integer({ min: 18, max: 100 }),
      sex: fc.constantFrom(...SEXES),
      postmenopausal: fc.option(fc.boolean(), { nil: undefined }),
      observations: fc.array(observationArb, { maxLength: 25 }),
    })
    .map((r): AssessInput => ({
      asOf: AS_OF,
      patient:
        r.postmenopausal === undefined
          ? { birthDate: bornAged(r.age), sex: r.sex }
          : { birthDate: bornAged(r.age), sex: r.sex, postmenopausal: r.postmenopausal },
      observations: r.observations,
    }));
}

export const assessInputArb = makeAssessInputArb();
