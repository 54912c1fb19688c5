using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ConsentDocumentLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "ConsentDocuments",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "en");

            // Forms printed before: the language of the template version they were printed on.
            // (In EXEC: SQL Server compiles a batch before it runs, when the new column does not exist yet.)
            migrationBuilder.Sql("EXEC(N'UPDATE d SET [Language] = v.[Language] FROM [ConsentDocuments] AS d INNER JOIN [ConsentTemplateVersions] AS v ON v.[Id] = d.[TemplateVersionId];')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Language",
                table: "ConsentDocuments");
        }
    }
}
