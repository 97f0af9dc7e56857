import { FieldType, applyFieldOverrides, createTheme, toDataFrame, type DataFrame, type ScopedVars } from '@grafana/data';
import { VariableFormatID } from '@grafana/schema';
import { replaceVariables } from './replaceVariables';
import { registerStandardOptions } from './panels/registry';

registerStandardOptions();

/** A frame with field overrides applied as the PanelRenderer applies them: display processors and data-link context. */
function processed(frame: DataFrame): DataFrame {
  const [out] = applyFieldOverrides({ data: [frame], fieldConfig: { defaults: {}, overrides: [] }, theme: createTheme(), replaceVariables, timeZone: 'utc' });
  return out!;
}

const frame = processed(
  toDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: [1_700_000_000_000] },
      { name: 'model', type: FieldType.string, values: ['claude sonnet/4'] },
      { name: 'p95', type: FieldType.number, values: [1.25], config: { unit: 's' }, labels: { job: 'demo api', route: '/chat' } },
    ],
  }),
);

const contextOf = (fieldIndex: number, rowIndex?: number): ScopedVars => ({ __dataContext: { value: { data: [frame], frame, frameIndex: 0, field: frame.fields[fieldIndex]!, rowIndex } } });

describe("replaceVariables (Grafana's template service on an app page)", () => {
  it('${__data.fields.<name>} is the row value through the field display processor, not URL-encoded (dataMacro ignores the format)', () => {
    expect(replaceVariables('/d/x?var-model=${__data.fields.model}', contextOf(2, 0), VariableFormatID.UriEncode)).toBe('/d/x?var-model=claude sonnet/4');
    expect(replaceVariables('${__data.fields.p95}', contextOf(1, 0))).toBe('1.25 s');
    expect(replaceVariables('${__data.fields["model"]}', contextOf(1, 0))).toBe('claude sonnet/4');
  });

  it('${__value.raw} is formatted with the format Grafana passes for URLs (uriencode)', () => {
    expect(replaceVariables('/x?m=${__value.raw}', contextOf(1, 0), VariableFormatID.UriEncode)).toBe('/x?m=claude%20sonnet/4');
    expect(replaceVariables('${__value.raw:percentencode}', contextOf(1, 0), VariableFormatID.UriEncode)).toBe('claude%20sonnet%2F4');
    expect(replaceVariables('${__value.text}', contextOf(2, 0))).toBe('1.25');
    expect(replaceVariables('${__value}', contextOf(2, 0))).toBe('1.25 s');
    expect(replaceVariables('${__value.time}', contextOf(2, 0))).toBe('1700000000000');
  });

  it('${__value.*} of a reduced value (stat, gauges) uses the calculated value', () => {
    const calculated: ScopedVars = { __dataContext: { value: { data: [frame], frame, field: frame.fields[2]!, calculatedValue: { numeric: 0.5, text: '0.5', suffix: ' s' } } } };
    expect(replaceVariables('${__value.raw}', calculated)).toBe('0.5');
    expect(replaceVariables('${__value.text}', calculated)).toBe('0.5 s');
  });

  it('${__field.labels.<label>} and ${__field.name}; unknown labels are empty', () => {
    expect(replaceVariables('/explore?job=${__field.labels.job}&r=${__field.labels.route}', contextOf(2), VariableFormatID.UriEncode)).toBe('/explore?job=demo api&r=/chat');
    expect(replaceVariables('${__field.name}', contextOf(2))).toBe('p95');
    expect(replaceVariables('${__field.labels}', contextOf(2))).toBe('job="demo api", route="/chat"');
    expect(replaceVariables('[${__field.labels.missing}]', contextOf(2))).toBe('[]');
  });

  it('leaves what it cannot resolve as written (no row, no data context, unknown variables)', () => {
    expect(replaceVariables('${__data.fields.model}', contextOf(1))).toBe('${__data.fields.model}');
    expect(replaceVariables('${__value.raw}')).toBe('${__value.raw}');
    expect(replaceVariables('$job and ${other}', contextOf(1, 0))).toBe('$job and ${other}');
  });

  it('scoped variables are looked up and formatted', () => {
    expect(replaceVariables('/d?var-job=${job}', { job: { text: 'a b', value: 'a b' } }, VariableFormatID.UriEncode)).toBe('/d?var-job=a%20b');
  });

  it('data links built by getLinksSupplier get the same answers', () => {
    const withLink = processed(
      toDataFrame({
        fields: [
          { name: 'model', type: FieldType.string, values: ['gpt 4o'], config: { links: [{ title: 'Open ${__data.fields.model}', url: '/d/m?var-model=${__value.raw}&job=${__field.labels.job}' }] }, labels: { job: 'demo' } },
        ],
      }),
    );
    const [link] = withLink.fields[0]!.getLinks!({ valueRowIndex: 0 });
    expect(link).toMatchObject({ title: 'Open gpt 4o', href: '/d/m?var-model=gpt%204o&job=demo' });
  });
});
