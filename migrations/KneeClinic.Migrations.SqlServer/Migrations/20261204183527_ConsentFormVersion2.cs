using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ConsentFormVersion2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ConsentTemplates_CellSource",
                table: "ConsentTemplates");

            migrationBuilder.AddColumn<string>(
                name: "ReadingLevelReason",
                table: "ConsentTemplateVersions",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "CellSource",
                table: "ConsentTemplates",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(24)",
                oldMaxLength: 24);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "ConsentTemplates",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "ConsentForm");

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeAuthority",
                table: "ConsentSignatures",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeName",
                table: "ConsentSignatures",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeRelationship",
                table: "ConsentSignatures",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AccessibleHtml",
                table: "ConsentDocuments",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LargePrint",
                table: "ConsentDocuments",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Route",
                table: "ConsentDocuments",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "FullForm");

            migrationBuilder.AddColumn<byte[]>(
                name: "ShortFormContent",
                table: "ConsentDocuments",
                type: "varbinary(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortFormLanguage",
                table: "ConsentDocuments",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortFormSha256",
                table: "ConsentDocuments",
                type: "nchar(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ShortFormVersionId",
                table: "ConsentDocuments",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsentTemplates_CellSource",
                table: "ConsentTemplates",
                column: "CellSource",
                unique: true,
                filter: "[CellSource] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentDocuments_ShortFormVersionId",
                table: "ConsentDocuments",
                column: "ShortFormVersionId");

            migrationBuilder.AddForeignKey(
                name: "FK_ConsentDocuments_ConsentTemplateVersions_ShortFormVersionId",
                table: "ConsentDocuments",
                column: "ShortFormVersionId",
                principalTable: "ConsentTemplateVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ConsentDocuments_ConsentTemplateVersions_ShortFormVersionId",
                table: "ConsentDocuments");

            migrationBuilder.DropIndex(
                name: "IX_ConsentTemplates_CellSource",
                table: "ConsentTemplates");

            migrationBuilder.DropIndex(
                name: "IX_ConsentDocuments_ShortFormVersionId",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ReadingLevelReason",
                table: "ConsentTemplateVersions");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "ConsentTemplates");

            migrationBuilder.DropColumn(
                name: "RepresentativeAuthority",
                table: "ConsentSignatures");

            migrationBuilder.DropColumn(
                name: "RepresentativeName",
                table: "ConsentSignatures");

            migrationBuilder.DropColumn(
                name: "RepresentativeRelationship",
                table: "ConsentSignatures");

            migrationBuilder.DropColumn(
                name: "AccessibleHtml",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "LargePrint",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "Route",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ShortFormContent",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ShortFormLanguage",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ShortFormSha256",
                table: "ConsentDocuments");

            migrationBuilder.DropColumn(
                name: "ShortFormVersionId",
                table: "ConsentDocuments");

            migrationBuilder.AlterColumn<string>(
                name: "CellSource",
                table: "ConsentTemplates",
                type: "nvarchar(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "nvarchar(24)",
                oldMaxLength: 24,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsentTemplates_CellSource",
                table: "ConsentTemplates",
                column: "CellSource",
                unique: true);
        }
    }
}
