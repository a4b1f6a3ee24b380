// The screens' date-time format lives with the time zones (one place for both).
export { formatDateTime } from "@/lib/time-zone";
