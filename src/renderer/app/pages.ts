import { lazy, type ComponentType } from 'react';
import { ChatIcon, CompareIcon, DocumentsIcon, EvalsIcon, ModelsIcon, SettingsIcon } from './icons';

export interface PageDef {
  id: 'chat' | 'compare' | 'evals' | 'models' | 'settings' | 'documents';
  label: string;
  icon: ComponentType;
  component: ComponentType;
}

// Each page is its own chunk, loaded when first shown: the first paint evaluates only the shell and
// the page it opens on, not every page's code (one 1.2 MB bundle was a 73-144 ms task at load).
const ChatPage = lazy(() => import('../chat/ChatPage').then((m) => ({ default: m.ChatPage })));
const ComparePage = lazy(() => import('../compare/ComparePage').then((m) => ({ default: m.ComparePage })));
const EvalsPage = lazy(() => import('../evals/EvalsPage').then((m) => ({ default: m.EvalsPage })));
const ModelsPage = lazy(() => import('../models/ModelsPage').then((m) => ({ default: m.ModelsPage })));
const SettingsPage = lazy(() => import('../settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const DocumentsPage = lazy(() => import('../documents/DocumentsPage').then((m) => ({ default: m.DocumentsPage })));

/** Sidebar order; the n-th page is also Ctrl/Cmd+n. */
export const PAGES: readonly PageDef[] = [
  { id: 'chat', label: 'Chat', icon: ChatIcon, component: ChatPage },
  { id: 'compare', label: 'Compare', icon: CompareIcon, component: ComparePage },
  { id: 'evals', label: 'Evals', icon: EvalsIcon, component: EvalsPage },
  { id: 'models', label: 'Models', icon: ModelsIcon, component: ModelsPage },
  { id: 'settings', label: 'Settings', icon: SettingsIcon, component: SettingsPage },
  // Sixth, so Ctrl/Cmd+1..5 keep their pages.
  { id: 'documents', label: 'Documents', icon: DocumentsIcon, component: DocumentsPage },
];

export type PageId = PageDef['id'];
export const PAGE_IDS = PAGES.map((p) => p.id);
