using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PatientPhoneSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PhoneSearch",
                table: "Patients",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_PhoneSearch",
                table: "Patients",
                column: "PhoneSearch");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Patients_PhoneSearch",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "PhoneSearch",
                table: "Patients");
        }
    }
}
