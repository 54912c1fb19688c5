using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MrnUpperCaseAndBinaryOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // MRNs are kept in upper case. Two patients whose MRNs differ only in case keep theirs as typed (OR IGNORE):
            // the clinic sees them as a duplicate to resolve when one is next edited.
            migrationBuilder.Sql("UPDATE OR IGNORE \"Patients\" SET \"Mrn\" = upper(\"Mrn\") WHERE \"Mrn\" <> upper(\"Mrn\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The case the MRNs were typed in is not kept, so there is nothing to undo.
        }
    }
}
