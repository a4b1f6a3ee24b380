/**
 * Item wording of the questionnaires as printed on the paper forms, in their order.
 * PHQ-9 and PHQ-2: Kroenke, Spitzer, Williams 2001/2003 (free to use); GDS-15: Sheikh & Yesavage
 * 1986 (public domain).
 */

export const PHQ9_STEM =
  "Over the last 2 weeks, how often have you been bothered by any of the following problems?";

export const PHQ9_ITEMS: readonly string[] = [
  "Little interest or pleasure in doing things",
  "Feeling down, depressed, or hopeless",
  "Trouble falling or staying asleep, or sleeping too much",
  "Feeling tired or having little energy",
  "Poor appetite or overeating",
  "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
  "Trouble concentrating on things, such as reading the newspaper or watching television",
  "Moving or speaking so slowly that other people could have noticed — or the opposite, being so fidgety or restless that you have been moving around a lot more than usual",
  "Thoughts that you would be better off dead, or of hurting yourself in some way",
];

/** Answers 0–3 of PHQ-9 and PHQ-2 items. */
export const PHQ_ANSWERS: readonly { value: 0 | 1 | 2 | 3; label: string }[] = [
  { value: 0, label: "Not at all" },
  { value: 1, label: "Several days" },
  { value: 2, label: "More than half the days" },
  { value: 3, label: "Nearly every day" },
];

export const PHQ9_DIFFICULTY =
  "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?";

/** Answers 0–3 of the PHQ-9 difficulty item (not scored). */
export const DIFFICULTY_ANSWERS: readonly { value: 0 | 1 | 2 | 3; label: string }[] = [
  { value: 0, label: "Not difficult at all" },
  { value: 1, label: "Somewhat difficult" },
  { value: 2, label: "Very difficult" },
  { value: 3, label: "Extremely difficult" },
];

export const GDS15_STEM = "Choose the best answer for how you have felt over the past week.";

export const GDS15_ITEMS: readonly string[] = [
  "Are you basically satisfied with your life?",
  "Have you dropped many of your activities and interests?",
  "Do you feel that your life is empty?",
  "Do you often get bored?",
  "Are you in good spirits most of the time?",
  "Are you afraid that something bad is going to happen to you?",
  "Do you feel happy most of the time?",
  "Do you often feel helpless?",
  "Do you prefer to stay at home, rather than going out and doing new things?",
  "Do you feel you have more problems with memory than most?",
  "Do you think it is wonderful to be alive now?",
  "Do you feel pretty worthless the way you are now?",
  "Do you feel full of energy?",
  "Do you feel that your situation is hopeless?",
  "Do you think that most people are better off than you are?",
];
