/** Small stroke icons for the sidebar, drawn inline: the CSP allows no remote assets. */
import type { ReactNode, SVGProps } from 'react';

function Icon({ children, ...rest }: SVGProps<SVGSVGElement> & { children: ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export const ChatIcon = () => (
  <Icon>
    <path d="M2.5 3.5h11v7.5h-6.5l-3.5 2.5v-2.5h-1z" />
  </Icon>
);

export const CompareIcon = () => (
  <Icon>
    <rect x="2" y="2.5" width="5" height="11" rx="1.2" />
    <rect x="9" y="2.5" width="5" height="11" rx="1.2" />
  </Icon>
);

export const EvalsIcon = () => (
  <Icon>
    <path d="M2.5 4.5l1.5 1.5 2.5-3M9 4.5h4.5M2.5 11l1.5 1.5 2.5-3M9 11h4.5" />
  </Icon>
);

export const ModelsIcon = () => (
  <Icon>
    <path d="M8 1.8l5.5 3v6.4L8 14.2l-5.5-3V4.8zM2.5 4.8L8 7.8l5.5-3M8 7.8v6.4" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <path d="M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6" />
    <circle cx="10" cy="4.5" r="1.5" />
    <circle cx="6" cy="11.5" r="1.5" />
  </Icon>
);

export const DocumentsIcon = () => (
  <Icon>
    <path d="M4 1.8h5.2l2.8 2.8v9.6H4zM9 1.8v3h3M6 8h4M6 10.5h4" />
  </Icon>
);

export const BrandMark = () => (
  <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
    <rect x="2" y="1.5" width="2.6" height="9" rx="1.1" fill="currentColor" />
    <rect x="7.4" y="1.5" width="2.6" height="9" rx="1.1" fill="currentColor" opacity="0.7" />
  </svg>
);
