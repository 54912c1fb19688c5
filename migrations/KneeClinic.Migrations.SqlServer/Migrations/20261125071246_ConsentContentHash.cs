using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ConsentContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_CaseId",
                table: "ConsentDocuments");

            migrationBuilder.AddColumn<string>(
                name: "ContentHash",
                table: "ConsentDocuments",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_CaseId_Status",
                table: "ConsentDocuments",
                columns: new[] { "CaseId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_CaseId_Status",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "ConsentDocuments");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_CaseId",
                table: "ConsentDocuments",
                column: "CaseId");
        }
    }
}
