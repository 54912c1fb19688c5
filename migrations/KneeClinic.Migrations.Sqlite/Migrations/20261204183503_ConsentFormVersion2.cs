using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KneeClinic.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConsentFormVersion2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReadingLevelReason",
                table: "ConsentTemplateVersions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "CellSource",
                table: "ConsentTemplates",
                type: "TEXT",
                maxLength: 24,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 24);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "ConsentTemplates",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "ConsentForm");

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeAuthority",
                table: "ConsentSignatures",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeName",
                table: "ConsentSignatures",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RepresentativeRelationship",
                table: "ConsentSignatures",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AccessibleHtml",
                table: "ConsentDocuments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LargePrint",
                table: "ConsentDocuments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Route",
                table: "ConsentDocuments",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "FullForm");

            migrationBuilder.AddColumn<byte[]>(
                name: "ShortFormContent",
                table: "ConsentDocuments",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortFormLanguage",
                table: "ConsentDocuments",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortFormSha256",
                table: "ConsentDocuments",
                type: "TEXT",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ShortFormVersionId",
                table: "ConsentDocuments",
                type: "TEXT",
                nullable: true);

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
                type: "TEXT",
                maxLength: 24,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 24,
                oldNullable: true);
        }
    }
}
