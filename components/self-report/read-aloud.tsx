"use client";

import { useEffect, useState } from "react";
import styles from "./self-report.module.css";

/** Reads the question and its answers aloud with the browser's own speech synthesis. */
export function ReadAloud({ text }: { text: string }) {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    // Known only in the browser (the server renders without it).
    setAvailable(typeof window !== "undefined" && "speechSynthesis" in window);
    return () => {
      if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    };
  }, []);
  if (!available) return null;
  return (
    <button
      type="button"
      className={styles.secondary}
      onClick={() => {
        window.speechSynthesis.cancel();
        const utterance = new SpeechSynthesisUtterance(text);
        // Slower than the default: the patients are older adults.
        utterance.rate = 0.9;
        window.speechSynthesis.speak(utterance);
      }}
    >
      Read aloud
    </button>
  );
}
