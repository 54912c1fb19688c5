using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "en");

            // Forms printed before: the language of the template version they were printed on.
            migrationBuilder.Sql("UPDATE \"ConsentDocuments\" SET \"Language\" = (SELECT v.\"Language\" FROM \"ConsentTemplateVersions\" AS v WHERE v.\"Id\" = \"ConsentDocuments\".\"TemplateVersionId\");");
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
