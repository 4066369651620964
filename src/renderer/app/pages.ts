import type { ComponentType } from 'react';
import { ChatPage } from '../chat/ChatPage';
import { ComparePage } from '../compare/ComparePage';
import { EvalsPage } from '../evals/EvalsPage';
import { ModelsPage } from '../models/ModelsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { ChatIcon, CompareIcon, EvalsIcon, ModelsIcon, SettingsIcon } from './icons';

export interface PageDef {
  id: 'chat' | 'compare' | 'evals' | 'models' | 'settings';
  label: string;
  icon: ComponentType;
  component: ComponentType;
}

/** Sidebar order; the n-th page is also Ctrl/Cmd+n. */
export const PAGES: readonly PageDef[] = [
  { id: 'chat', label: 'Chat', icon: ChatIcon, component: ChatPage },
  { id: 'compare', label: 'Compare', icon: CompareIcon, component: ComparePage },
  { id: 'evals', label: 'Evals', icon: EvalsIcon, component: EvalsPage },
  { id: 'models', label: 'Models', icon: ModelsIcon, component: ModelsPage },
  { id: 'settings', label: 'Settings', icon: SettingsIcon, component: SettingsPage },
];

export type PageId = PageDef['id'];
export const PAGE_IDS = PAGES.map((p) => p.id);
