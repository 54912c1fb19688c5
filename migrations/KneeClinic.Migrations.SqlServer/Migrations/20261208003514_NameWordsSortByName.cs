using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
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
                type: "nvarchar(250)",
                maxLength: 250,
                nullable: false,
                defaultValue: "");

            // Each word takes its patient's search name, before the index that holds them in that order is built.
            migrationBuilder.Sql("EXEC(N'UPDATE [w] SET [w].[SearchName] = [p].[SearchName] FROM [PatientNameWords] AS [w] INNER JOIN [Patients] AS [p] ON [p].[Id] = [w].[PatientId];');");

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
