using System.Globalization;

namespace KneeClinic.Documents.Consent;

/// <summary>
/// The fixed words of a consent form (field names, signature statements, medicine notes, page label), read from
/// the template file's <c>labels:</c> header, so that changing any printed word makes a new template version.
/// Some hold <c>{name}</c> tokens that the program fills (<see cref="Fill"/>).
/// </summary>
public sealed class ConsentLabels
{
    public static readonly IReadOnlyList<string> Required =
    [
        "patient", "date_of_birth", "mrn", "knee", "left", "right", "clinician", "document_number", "prepared_on",
        "form_version", "form_version_value", "irb_approval", "irb_approval_value",
        "notes_heading", "note_anticoagulant", "note_nsaid", "note_stop_and_restart", "note_stop", "note_ask",
        "teach_back_question", "teach_back_initials",
        "signatures_heading", "signatures_intro", "patient_role", "patient_statement",
        "representative_role", "representative_statement", "relationship", "authority",
        "obtainer_role", "obtainer_statement", "witness_role", "witness_statement", "interpreter_role", "interpreter_statement",
        "language", "printed_name", "signature", "date", "time", "short_form_note",
        "verify_caption", "page", "document_check", "date_format",
    ];

    /// <summary>The short form names the patient and the written summary it goes with, and has the patient's and the witness's signatures.</summary>
    public static readonly IReadOnlyList<string> RequiredForShortForm =
    [
        "patient", "date_of_birth", "mrn", "knee", "left", "right", "clinician", "document_number", "prepared_on", "form_version",
        "form_version_value", "signatures_heading", "signatures_intro", "patient_role", "patient_statement", "representative_role", "representative_statement",
        "relationship", "authority", "witness_role", "witness_statement", "printed_name", "signature", "date", "time",
        "verify_caption", "page", "document_check", "date_format",
    ];

    private readonly IReadOnlyDictionary<string, string> _values;

    private ConsentLabels(IReadOnlyDictionary<string, string> values) => _values = values;

    public static ConsentLabels From(IReadOnlyDictionary<string, string>? values, bool shortForm = false)
    {
        var required = shortForm ? RequiredForShortForm : Required;
        var missing = required.Where(k => string.IsNullOrWhiteSpace(values?.GetValueOrDefault(k))).ToList();
        if (missing.Count > 0)
            throw new TemplateFormatException($"The header's labels: section must give every printed word; missing: {string.Join(", ", missing)}.");
        if (values!.Keys.Except(required).FirstOrDefault() is { } unknown)
            throw new TemplateFormatException($"Unknown label '{unknown}'. Known: {string.Join(", ", required)}.");
        try
        {
            _ = new DateOnly(2026, 1, 2).ToString(values["date_format"], CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new TemplateFormatException($"date_format '{values["date_format"]}' is not a date format.");
        }
        return new ConsentLabels(values.ToDictionary(kv => kv.Key, kv => kv.Value.Trim()));
    }

    public string this[string key] => _values[key];

    public IEnumerable<string> All => _values.Values;

    /// <summary>The label with its <c>{name}</c> tokens replaced.</summary>
    public string Fill(string key, params (string Name, string Value)[] values) =>
        values.Aggregate(_values[key], (text, v) => text.Replace("{" + v.Name + "}", v.Value, StringComparison.Ordinal));

    /// <summary>The page label as a composite format: "Page {page} of {pages}" becomes "Page {0} of {1}".</summary>
    public string PageFormat => _values["page"].Replace("{", "{{").Replace("}", "}}")
        .Replace("{{page}}", "{0}").Replace("{{pages}}", "{1}");
}
