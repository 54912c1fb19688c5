using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NameWordsSortByName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PatientNameWords_Word_PatientId",
                table: "PatientNameWords");

            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "PatientNameWords",
                type: "TEXT",
                maxLength: 250,
                nullable: false,
                defaultValue: "");

            // Each word takes its patient's search name, before the index that holds them in that order is built.
            migrationBuilder.Sql("UPDATE \"PatientNameWords\" SET \"SearchName\" = (SELECT \"p\".\"SearchName\" FROM \"Patients\" AS \"p\" WHERE \"p\".\"Id\" = \"PatientNameWords\".\"PatientId\");");

            migrationBuilder.CreateIndex(
                name: "IX_PatientNameWords_Word_SearchName_PatientId",
                table: "PatientNameWords",
                columns: new[] { "Word", "SearchName", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PatientNameWords_Word_SearchName_PatientId",
                table: "PatientNameWords");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "PatientNameWords");

            migrationBuilder.CreateIndex(
                name: "IX_PatientNameWords_Word_PatientId",
                table: "PatientNameWords",
                columns: new[] { "Word", "PatientId" });
        }
    }
}
