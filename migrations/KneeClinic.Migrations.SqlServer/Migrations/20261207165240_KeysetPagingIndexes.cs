using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class KeysetPagingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Patients_DateOfBirth",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_SearchName",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_TemplateVersionId",
                table: "ConsentDocuments");

            migrationBuilder.DropIndex(
                name: "IX_Cases_PatientId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_PatientId",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_UserId",
                table: "AuditEntries");

            migrationBuilder.CreateTable(
                name: "PatientNameWords",
                columns: table => new
                {
                    PatientId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Word = table.Column<string>(type: "nvarchar(250)", maxLength: 250, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatientNameWords", x => new { x.PatientId, x.Word });
                    table.ForeignKey(
                        name: "FK_PatientNameWords_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_DateOfBirth_SearchName_Id",
                table: "Patients",
                columns: new[] { "DateOfBirth", "SearchName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_SearchName_Id",
                table: "Patients",
                columns: new[] { "SearchName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpVisits_Status_WindowCloses",
                table: "FollowUpVisits",
                columns: new[] { "Status", "WindowCloses" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpVisits_Status_WindowOpens",
                table: "FollowUpVisits",
                columns: new[] { "Status", "WindowOpens" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_GeneratedAt_Id",
                table: "ConsentDocuments",
                columns: new[] { "GeneratedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_Status_GeneratedAt_Id",
                table: "ConsentDocuments",
                columns: new[] { "Status", "GeneratedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_TemplateVersionId_GeneratedAt_Id",
                table: "ConsentDocuments",
                columns: new[] { "TemplateVersionId", "GeneratedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_PatientId_Stage",
                table: "Cases",
                columns: new[] { "PatientId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action_Sequence",
                table: "AuditEntries",
                columns: new[] { "Action", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Entity_Sequence",
                table: "AuditEntries",
                columns: new[] { "Entity", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_PatientId_Sequence",
                table: "AuditEntries",
                columns: new[] { "PatientId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserId_Sequence",
                table: "AuditEntries",
                columns: new[] { "UserId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_DisplayName_Id",
                table: "AspNetUsers",
                columns: new[] { "DisplayName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PatientNameWords_Word_PatientId",
                table: "PatientNameWords",
                columns: new[] { "Word", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PatientNameWords");

            migrationBuilder.DropIndex(
                name: "IX_Patients_DateOfBirth_SearchName_Id",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_SearchName_Id",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_FollowUpVisits_Status_WindowCloses",
                table: "FollowUpVisits");

            migrationBuilder.DropIndex(
                name: "IX_FollowUpVisits_Status_WindowOpens",
                table: "FollowUpVisits");

            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_GeneratedAt_Id",
                table: "ConsentDocuments");

            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_Status_GeneratedAt_Id",
                table: "ConsentDocuments");

            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_TemplateVersionId_GeneratedAt_Id",
                table: "ConsentDocuments");

            migrationBuilder.DropIndex(
                name: "IX_Cases_PatientId_Stage",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Action_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Entity_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_PatientId_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_UserId_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_DisplayName_Id",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_DateOfBirth",
                table: "Patients",
                column: "DateOfBirth");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_SearchName",
                table: "Patients",
                column: "SearchName");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_TemplateVersionId",
                table: "ConsentDocuments",
                column: "TemplateVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_PatientId",
                table: "Cases",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_PatientId",
                table: "AuditEntries",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserId",
                table: "AuditEntries",
                column: "UserId");
        }
    }
}
