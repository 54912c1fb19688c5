using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DashboardCaseOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedClinicianId_OpenedAt_Id",
                table: "Cases",
                columns: new[] { "AssignedClinicianId", "OpenedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OpenedAt_Id",
                table: "Cases",
                columns: new[] { "OpenedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedClinicianId_OpenedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_OpenedAt_Id",
                table: "Cases");
        }
    }
}
