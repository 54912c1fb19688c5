using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AdverseEventEnteredInError : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EnteredInErrorAt",
                table: "AdverseEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnteredInErrorById",
                table: "AdverseEvents",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnteredInErrorReason",
                table: "AdverseEvents",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SeriousKnownAt",
                table: "AdverseEvents",
                type: "INTEGER",
                nullable: true);

            // Events already serious start their reporting period from when they were reported.
            migrationBuilder.Sql("UPDATE AdverseEvents SET SeriousKnownAt = ReportedAt WHERE Serious <> 'None'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EnteredInErrorAt",
                table: "AdverseEvents");

            migrationBuilder.DropColumn(
                name: "EnteredInErrorById",
                table: "AdverseEvents");

            migrationBuilder.DropColumn(
                name: "EnteredInErrorReason",
                table: "AdverseEvents");

            migrationBuilder.DropColumn(
                name: "SeriousKnownAt",
                table: "AdverseEvents");
        }
    }
}
