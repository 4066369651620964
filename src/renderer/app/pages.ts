import type { ComponentType } from 'react';
import { lazyChunk } from './lazyChunk';
import { ChatIcon, CompareIcon, DocumentsIcon, EvalsIcon, ModelsIcon, SettingsIcon } from './icons';

export interface PageDef {
  id: 'chat' | 'compare' | 'evals' | 'models' | 'settings' | 'documents';
  label: string;
  icon: ComponentType;
  component: ComponentType;
}

// Each page is its own chunk, loaded when first shown: the first paint evaluates only the shell and
// the page it opens on, not every page's code (one 1.2 MB bundle was a 73-144 ms task at load).
const ChatPage = lazyChunk(() => import('../chat/ChatPage').then((m) => m.ChatPage), 'the Chat page');
const ComparePage = lazyChunk(() => import('../compare/ComparePage').then((m) => m.ComparePage), 'the Compare page');
const EvalsPage = lazyChunk(() => import('../evals/EvalsPage').then((m) => m.EvalsPage), 'the Evals page');
const ModelsPage = lazyChunk(() => import('../models/ModelsPage').then((m) => m.ModelsPage), 'the Models page');
const SettingsPage = lazyChunk(() => import('../settings/SettingsPage').then((m) => m.SettingsPage), 'the Settings page');
const DocumentsPage = lazyChunk(() => import('../documents/DocumentsPage').then((m) => m.DocumentsPage), 'the Documents page');

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
