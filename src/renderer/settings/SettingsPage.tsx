import type { ReactNode } from 'react';
import { ProvidersSettings } from '../providers/ProvidersSettings';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Page } from '../ui/Page';
import { Spinner } from '../ui/Spinner';
import { AboutPanel } from './AboutPanel';
import { CostSettings } from './CostSettings';
import { DataPolicySettings } from './policy/DataPolicySettings';
import { ApiSettings } from './api/ApiSettings';
import { NumberSetting, SwitchSetting, TextSetting, ThemeSetting } from './SettingControls';
import { useSettings } from './useSettings';

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="section" aria-label={title}>
      <h2 className="section-title">{title}</h2>
      {description && <p className="section-description">{description}</p>}
      {children}
    </section>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  return (
    <Page title="Settings" description="Changes are saved as you make them.">
      {settings.isPending && <Spinner label="Loading settings…" showLabel />}
      {settings.error && <ErrorBanner title="Could not load settings" error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && (
        <>
          <Section title="Appearance">
            <div className="card">
              <ThemeSetting />
            </div>
          </Section>

          <Section title="Privacy" description="Parity runs models on this machine; these control what may leave it.">
            <div className="card">
              <SwitchSetting
                settingKey="offline"
                label="Offline"
                hint="Block every request to remote providers and model downloads. Local models keep working."
                confirm={(on) => (on ? 'Offline: remote providers and downloads are blocked.' : 'Online: remote providers and downloads are allowed again.')}
              />
              <SwitchSetting
                settingKey="auditPromptText"
                label="Keep prompt text in the outbound request log"
                hint="Off: the log records where each remote request went, when, and its token counts, but not what was sent."
              />
            </div>
          </Section>

          <Section
            title="Data policy"
            description="What may leave this device for which remote provider or model: detected values (e-mail, IBAN, keys, your own terms…) allowed, noted, replaced by placeholders, kept local or refused. Local models are never affected."
          >
            <DataPolicySettings />
          </Section>

          <Section title="Local inference">
            <div className="card">
              <NumberSetting settingKey="defaultThreads" label="CPU threads" hint="Threads each local model uses for generation (1–256; 0 = automatic, half the CPU cores)." min={0} max={256} />
              <NumberSetting
                settingKey="idleUnloadMinutes"
                label="Unload idle models after"
                hint="Frees memory when a model has not been used for this long. 0 keeps models loaded."
                unit="min"
                min={0}
                max={1440}
              />
              <NumberSetting
                settingKey="memoryBudgetMb"
                label="Memory budget"
                hint="Most memory loaded models may use together. 0 lets Parity decide from free memory."
                unit="MB"
                min={0}
                step={256}
              />
            </div>
          </Section>

          <Section title="Evals">
            <div className="card">
              <TextSetting
                settingKey="evalGraderModel"
                label="Grader model"
                hint="Grades llm-rubric and g-eval assertions that name no grader, in runs that choose none (--grader wins). Empty: those assertions are skipped with “needs a grader model”, not failed."
                placeholder="e.g. openai:gpt-4o-mini or local:<model id>"
              />
            </div>
          </Section>

          <Section
            title="Cost"
            description="What running models on your own hardware costs. Local costs in the scorecard, the Decide view and reports are estimates from these settings."
          >
            <CostSettings />
          </Section>
        </>
      )}

      {/* Owned by the providers feature: everything inside ProvidersSettings is theirs. */}
      <section className="section" aria-label="Providers">
        <h2 className="section-title">Providers</h2>
        <ProvidersSettings />
      </section>

      <section className="section" aria-label="API">
        <h2 className="section-title">API</h2>
        <ApiSettings />
      </section>

      <section className="section" aria-label="About Parity">
        <h2 className="section-title">About Parity</h2>
        <AboutPanel />
      </section>
    </Page>
  );
}
