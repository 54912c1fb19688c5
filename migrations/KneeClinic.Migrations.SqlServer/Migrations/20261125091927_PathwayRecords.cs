using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PathwayRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BaselineKoosAnswers",
                table: "Screenings",
                type: "nvarchar(42)",
                maxLength: 42,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReleaseNote",
                table: "ProcessingRecords",
                type: "nvarchar(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UseBy",
                table: "ProcessingRecords",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KoosAnswers",
                table: "FollowUpVisits",
                type: "nvarchar(42)",
                maxLength: 42,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "MarkedMissedOn",
                table: "FollowUpVisits",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "AdverseEvents",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ScreeningKoosScores",
                columns: table => new
                {
                    CaseScreeningCaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Pain = table.Column<decimal>(type: "decimal(5,2)", precision: 5, scale: 2, nullable: true),
                    Symptoms = table.Column<decimal>(type: "decimal(5,2)", precision: 5, scale: 2, nullable: true),
                    DailyLiving = table.Column<decimal>(type: "decimal(5,2)", precision: 5, scale: 2, nullable: true),
                    SportRecreation = table.Column<decimal>(type: "decimal(5,2)", precision: 5, scale: 2, nullable: true),
                    QualityOfLife = table.Column<decimal>(type: "decimal(5,2)", precision: 5, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScreeningKoosScores", x => x.CaseScreeningCaseId);
                    table.ForeignKey(
                        name: "FK_ScreeningKoosScores_Screenings_CaseScreeningCaseId",
                        column: x => x.CaseScreeningCaseId,
                        principalTable: "Screenings",
                        principalColumn: "CaseId",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ScreeningKoosScores");

            migrationBuilder.DropColumn(
                name: "BaselineKoosAnswers",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "ReleaseNote",
                table: "ProcessingRecords");

            migrationBuilder.DropColumn(
                name: "UseBy",
                table: "ProcessingRecords");

            migrationBuilder.DropColumn(
                name: "KoosAnswers",
                table: "FollowUpVisits");

            migrationBuilder.DropColumn(
                name: "MarkedMissedOn",
                table: "FollowUpVisits");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "AdverseEvents");
        }
    }
}
