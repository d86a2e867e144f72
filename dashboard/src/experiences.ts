// Flows and surveys as the admin API returns them.

import type { Api } from "./api";

export type Kind = "flow" | "survey";

export interface Experience {
  id: string;
  name: string;
  type: string;
  status: string;
  priority: number;
  version: number;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export const FLOW_TYPES = ["tour", "checklist", "announcement", "hotspot", "resource_center"];
export const SURVEY_TYPES = ["nps", "csat", "ces"];
export const STATUSES = ["draft", "live", "paused", "archived"];

export function kindOf(type: string): Kind {
  return SURVEY_TYPES.includes(type) ? "survey" : "flow";
}

export async function listExperiences(api: Api, kind: Kind, params: Record<string, string> = {}): Promise<Experience[]> {
  return (await api.get<{ data: Experience[] }>(`/api/v1/${kind}s`, params)).data;
}

export async function everyExperience(api: Api): Promise<Experience[]> {
  const [flows, surveys] = await Promise.all([listExperiences(api, "flow"), listExperiences(api, "survey")]);
  return [...flows, ...surveys];
}
