import { SETTINGS } from '../../shared/contract';
import { errorMessage } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { NumberSetting } from './SettingControls';
import { useSetSetting, useSetting } from './useSettings';

/** "default: 2,500": every cost input says what it is until the user changes it. */
function byDefault(key: keyof typeof SETTINGS, prefix = '', suffix = ''): string {
  const value = SETTINGS[key].default;
  return `Default: ${prefix}${typeof value === 'number' ? value.toLocaleString('en-US') : String(value)}${suffix}.`;
}

function LocalModeSetting() {
  const value = useSetting('costLocalMode');
  const save = useSetSetting('costLocalMode');
  return (
    <Field
      label="Local hardware"
      hint="Own a machine (its price spread over its useful life, plus power) or rent a GPU by the hour. Default: own."
      error={save.error ? errorMessage(save.error) : null}
    >
      {(props) => (
        <select {...props} className="select" value={value ?? 'owned'} disabled={value === undefined} onChange={(e) => save.mutate(e.target.value === 'rented' ? 'rented' : 'owned')}>
          <option value="owned">Owned machine</option>
          <option value="rented">Rented GPU</option>
        </select>
      )}
    </Field>
  );
}

/**
 * Settings → Cost: the inputs of the local cost model (shared/domain/costModel.ts). Every local
 * cost Parity shows is an estimate from these values, and says so.
 */
export function CostSettings() {
  const mode = useSetting('costLocalMode');
  return (
    <div className="card" data-testid="cost-settings">
      <LocalModeSetting />
      {mode !== 'rented' ? (
        <>
          <NumberSetting settingKey="costHardwareUsd" label="Hardware price" hint={`What one machine that runs your local models costs. ${byDefault('costHardwareUsd', '$')}`} unit="$" min={0} step={100} />
          <NumberSetting settingKey="costHardwareLifeYears" label="Useful life" hint={`Years over which the purchase is spread. ${byDefault('costHardwareLifeYears', '', ' years')}`} unit="years" min={0.25} step={0.5} />
          <NumberSetting settingKey="costPowerWatts" label="Power draw under load" hint={`Counted for every hour of operation. ${byDefault('costPowerWatts', '', ' W')}`} unit="W" min={0} step={10} />
          <NumberSetting settingKey="costElectricityUsdPerKWh" label="Electricity price" hint={byDefault('costElectricityUsdPerKWh', '$', ' per kWh')} unit="$/kWh" min={0} step={0.01} />
        </>
      ) : (
        <NumberSetting settingKey="costGpuHourlyUsd" label="GPU rent" hint={`Per machine and hour of operation; power is included. ${byDefault('costGpuHourlyUsd', '$', ' per hour')}`} unit="$/h" min={0} step={0.05} />
      )}
      <NumberSetting settingKey="costHoursPerDay" label="Hours of operation" hint={`Hours a day the machines run and take requests. ${byDefault('costHoursPerDay', '', ' h')}`} unit="h/day" min={1} max={24} step={1} />
      <NumberSetting settingKey="costOpsUsdPerMonth" label="Operations overhead" hint={`People, monitoring and hosting for a local deployment, per month. ${byDefault('costOpsUsdPerMonth', '$')}`} unit="$/month" min={0} step={50} />
      <NumberSetting settingKey="costLocalParallelism" label="Parallel requests per machine" hint={`Requests one machine serves at once at the speed measured in the run. ${byDefault('costLocalParallelism')}`} min={1} max={256} />
      <NumberSetting settingKey="costPeakFactor" label="Peak factor" hint={`Busiest hour over the average hour; machines are sized for the peak. ${byDefault('costPeakFactor', '', '×')}`} unit="×" min={1} step={0.5} />
      <NumberSetting
        settingKey="localHourlyRateUsd"
        label="Per-message local rate"
        hint="Optional: a $/h rate applied to each local chat answer's own time (0 = none). Decisions use the machine model above."
        unit="$/h"
        min={0}
        step={0.01}
      />
    </div>
  );
}
