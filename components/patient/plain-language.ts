import type { FlagCode } from "@/lib/clinical/constants";
import type { SuggestionId } from "@/lib/clinical/suggestions";

/*
 * Patient-facing wording for the printed plan: short sentences, no abbreviations without their
 * meaning. Facts only from the rules; nothing here adds a threshold or a claim.
 */

/** "What we found", one sentence per flag, in plain words. */
export const FINDING_TEXT: Readonly<Record<FlagCode, string>> = {
  "safety.suicide-risk":
    "You told us you have had thoughts that you would be better off dead or of hurting yourself. We take this seriously and want to keep you safe.",
  "safety.suicide-item-unknown":
    "We still need to ask you one question about thoughts of harming yourself. Your care team will ask it soon, often before you leave today.",
  "safety.vitamin-d-toxicity": "Your vitamin D level is far too high, which can be harmful.",
  "depression.positive": "Your answers about mood suggest depression.",
  "depression.mild-symptoms": "Your answers about mood show some mild low mood.",
  "depression.not-improving": "Your mood has not improved as much as we hoped with treatment.",
  "depression.screen-due": "It is time to check your mood with a short questionnaire.",
  "bone.severe-osteoporosis":
    "Your bones are thin (severe osteoporosis) and you have had a bone break from a minor fall or bump.",
  "bone.osteoporosis": "Your bone scan or a past fracture shows osteoporosis: thin, fragile bones.",
  "bone.osteopenia": "Your bone scan shows bones a little thinner than ideal (low bone mass).",
  "bone.low-for-age": "Your bone density is lower than expected for your age.",
  "bone.high-fracture-risk": "Your risk of breaking a bone in the next 10 years is high.",
  "bone.treatment-gap":
    "You could benefit from a medicine to strengthen your bones, and you are not taking one yet.",
  "bone.fracture-followup-due": "After your recent fracture, you need a bone density scan.",
  "bone.dxa-due": "It is time for a bone density scan (DXA).",
  "vitd.deficient": "Your vitamin D level is very low.",
  "vitd.inadequate": "Your vitamin D level is low.",
  "vitd.below-bone-target": "Your vitamin D level is a little below what is best for your bones.",
  "vitd.above-target": "Your vitamin D level is higher than needed.",
  "vitd.high": "Your vitamin D level is too high.",
  "falls.at-risk": "You are at risk of falling.",
  "falls.screen-due": "It is time to ask you a few questions about falls.",
  "meds.antidepressant-bone-risk":
    "Your mood medicine can slightly raise the chance of falls and broken bones, so we will keep your bones and balance protected.",
  "meds.glucocorticoid-bone-risk":
    "Long-term steroid tablets (such as prednisone or prednisolone) can weaken bones, so your bones need extra care.",
  "meds.fall-risk-drugs": "One of your medicines can make falls more likely.",
  "meds.denosumab-stopped":
    "Your bone injection (denosumab) was stopped. Without a follow-on medicine, bones can weaken quickly.",
  "comorbidity.bone-brain":
    "Low mood and thin bones often go together and affect each other, so we will care for both together.",
  "comorbidity.bone-unassessed": "Because of your mood, we would like to check your bone health.",
  "comorbidity.mood-unassessed": "Because of your bone health, we would like to check your mood.",
};

/** "What to do next", per suggestion, in plain words (investigational ones are never printed). */
export const NEXT_STEP_TEXT: Partial<Readonly<Record<SuggestionId, string>>> = {
  "suicide-risk-same-day":
    "Today we will talk about how you are feeling and make a safety plan together. If you have thoughts of harming yourself, call or text 988 (in the US) or your local crisis line, or go to the nearest emergency department.",
  "vitamin-d-toxicity-action":
    "Stop all vitamin D supplements for now. We will check your calcium level.",
  "phq9-item9-ask": "At your next visit we will ask you one more question about your mood.",
  "depression-evaluate-treat":
    "We will talk more about your mood and agree on treatment, such as talking therapy, medicine or both.",
  "phq9-after-positive-phq2": "We will ask you a few more questions about your mood.",
  "depression-screen-due": "We will ask you a short set of questions about your mood.",
  "mood-screen-bone-patient": "We will ask you a short set of questions about your mood.",
  "dxa-frax-depressed-older-adult":
    "We will arrange a bone density scan (DXA) and work out your fracture risk.",
  "dxa-scan-due": "We will arrange a bone density scan (DXA).",
  "steadi-falls-assessment":
    "We will check your balance, strength, eyesight, feet, medicines and home for fall risks.",
  "glucocorticoid-bone-care":
    "Because of your steroid tablets, we will check your bones and may add calcium, vitamin D or a bone medicine.",
  "vitamin-d-excess-review": "We will review your vitamin D supplements and doses.",
  "osteoporosis-pharmacotherapy":
    "We will discuss a medicine to make your bones stronger and lower your chance of breaking a bone.",
  "denosumab-follow-on": "We will start a follow-on bone medicine soon to protect your bones.",
  "vitamin-d-calcium":
    "Take vitamin D and get enough calcium, from food first (dairy, fortified foods) and supplements if needed.",
  "depression-treat-to-target": "We will adjust your mood treatment so that it works better.",
  "antidepressant-bone-risk-review":
    "Keep taking your mood medicine. Do not stop it suddenly. We will review it and protect your bones and balance.",
  "fall-risk-drug-review": "We will review medicines that can make you drowsy or unsteady.",
  "fracture-liaison-referral":
    "We will refer you to the fracture prevention team, who will check your bones and start treatment if needed.",
  "integrated-care-plan":
    "Your mood and bone care will be planned together by one team, rather than separately.",
  "exercise-programme":
    "Exercise that suits you: strength, balance and weight-bearing exercise (such as walking) helps your bones, your balance and your mood.",
  "sleep-circadian":
    "Keep regular sleep and daily routines: get up and go to bed at about the same time, and get daylight during the day.",
  "rescreen-depression-due": "We will check your mood again with a short questionnaire.",
  "repeat-dxa-due": "It is time to repeat your bone density scan.",
  "frax-recalculate-due": "We will work out your fracture risk again.",
  "vitamin-d-recheck": "We will check your vitamin D level again with a blood test.",
};
