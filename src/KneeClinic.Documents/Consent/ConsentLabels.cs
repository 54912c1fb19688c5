namespace KneeClinic.Documents.Consent;

/// <summary>The fixed words of a consent form that are not in its template, per language.</summary>
public sealed record ConsentLabels(
    string Patient, string DateOfBirth, string Mrn, string Knee, string Clinician, string DocumentNumber, string Generated,
    string Left, string Right, string NotesHeading, string Initials, string SignaturesHeading,
    string PatientRole, string PatientMeaning, string ObtainerRole, string ObtainerMeaning,
    string WitnessRole, string WitnessMeaning, string InterpreterRole, string InterpreterMeaning,
    string PrintedName, string Signature, string Date, string Time, string Language,
    string VerifyCaption, string PageLabel, string Template, string DateFormat)
{
    public static readonly ConsentLabels English = new(
        Patient: "Patient", DateOfBirth: "Date of birth", Mrn: "Medical record number", Knee: "Knee", Clinician: "Clinician",
        DocumentNumber: "Document number", Generated: "Prepared on", Left: "left", Right: "right",
        NotesHeading: "Notes for you from your screening", Initials: "Initials", SignaturesHeading: "Signatures",
        PatientRole: "Patient or legal representative",
        PatientMeaning: "I have read this form or had it read to me. My questions were answered. I agree to this investigational treatment.",
        ObtainerRole: "Person obtaining consent",
        ObtainerMeaning: "I explained this treatment, its risks and the other choices, and answered the patient's questions.",
        WitnessRole: "Witness",
        WitnessMeaning: "I saw the patient sign. Needed when this form was read aloud or explained through an interpreter.",
        InterpreterRole: "Interpreter",
        InterpreterMeaning: "I interpreted this form and the talk about it into the patient's language.",
        PrintedName: "Printed name", Signature: "Signature", Date: "Date", Time: "Time", Language: "Language",
        VerifyCaption: "Staff can scan this code to check that this copy matches the clinic's record:",
        PageLabel: "Page {0} of {1}", Template: "Form", DateFormat: "MMMM d, yyyy");

    public static readonly ConsentLabels Spanish = new(
        Patient: "Paciente", DateOfBirth: "Fecha de nacimiento", Mrn: "Número de historia clínica", Knee: "Rodilla", Clinician: "Médico",
        DocumentNumber: "Número de documento", Generated: "Preparado el", Left: "izquierda", Right: "derecha",
        NotesHeading: "Notas para usted de su evaluación", Initials: "Iniciales", SignaturesHeading: "Firmas",
        PatientRole: "Paciente o representante legal",
        PatientMeaning: "He leído este formulario o me lo han leído. Respondieron mis preguntas. Acepto este tratamiento en investigación.",
        ObtainerRole: "Persona que obtiene el consentimiento",
        ObtainerMeaning: "Expliqué este tratamiento, sus riesgos y las otras opciones, y respondí las preguntas del paciente.",
        WitnessRole: "Testigo",
        WitnessMeaning: "Vi firmar al paciente. Se necesita cuando el formulario se leyó en voz alta o se explicó con un intérprete.",
        InterpreterRole: "Intérprete",
        InterpreterMeaning: "Interpreté este formulario y la conversación sobre él al idioma del paciente.",
        PrintedName: "Nombre en letra de molde", Signature: "Firma", Date: "Fecha", Time: "Hora", Language: "Idioma",
        VerifyCaption: "El personal puede escanear este código para comprobar que esta copia coincide con el registro de la clínica:",
        PageLabel: "Página {0} de {1}", Template: "Formulario", DateFormat: "d 'de' MMMM 'de' yyyy");

    public static ConsentLabels For(string language) =>
        language.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? Spanish : English;
}
