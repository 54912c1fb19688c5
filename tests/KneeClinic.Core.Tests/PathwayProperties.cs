using CsCheck;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

/// <summary>
/// Random sequences of everything a clinician could try, in any order, with right and wrong inputs. Whatever
/// the sequence, a case that reaches Injected had an eligible screening, a consent valid at the injection
/// time, and the released product made for it, checked by code and knee.
/// </summary>
public sealed class PathwayProperties
{
    private enum Step { Sign, Withdraw, Obtain, ProcessRelease, ProcessReject, ProcessSameVerifier, Inject, InjectWrongCode, InjectWrongKnee, InjectNoUltrasound, InjectLate, Close, Reconsent }

    [Fact]
    public void NoSequenceOfActionsReachesInjectedWithoutEveryGate()
    {
        Gen.Select(Gen.Enum<CellSource>(), Gen.Enum<Step>().Array[1, 14], Gen.Int[0, 99])
            .Sample((source, steps, consentAgeDays) =>
            {
                var p = new PathwayCase(source);
                PathwayInvariants(p, steps, consentAgeDays);
            }, iter: 3000);
    }

    private static void PathwayInvariants(PathwayCase p, Step[] steps, int consentAgeDays)
    {
        var now = PathwayCase.Now;
        CellProduct? injectedProduct = null;
        InjectionEntry? injected = null;
        foreach (var step in steps)
        {
            var before = p.Case.Stage;
            RuleViolation? result = null;
            switch (step)
            {
                case Step.Sign when p.Case.Stage is CaseStage.Eligible:
                    // A minute apart per form: two signatures at the same instant never happen, and would leave "latest" undefined.
                    p.Sign(now.AddDays(-consentAgeDays).AddHours(-6).AddMinutes(p.Documents.Count));
                    break;
                case Step.Withdraw when p.Documents.LastOrDefault() is { Status: ConsentStatus.Signed } d:
                    Assert.Null(p.Withdraw(d, now.AddHours(-5.5)));
                    break;
                case Step.Reconsent:
                    var v = p.Template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new", now.AddDays(-1));
                    p.Template.Publish(v.Id, now.AddHours(-7));
                    break;
                case Step.Obtain:
                    result = p.Obtain();
                    break;
                case Step.ProcessRelease:
                    result = p.Process();
                    break;
                case Step.ProcessReject:
                    result = p.Process(p.Processing(ReleaseDecision.Rejected));
                    break;
                case Step.ProcessSameVerifier:
                    result = p.Process(p.Processing(verifier: PathwayCase.Operator));
                    Assert.NotNull(result);
                    break;
                case Step.Inject when p.Product is not null:
                    var entry = p.Injection();
                    result = p.Inject(entry);
                    if (result is null)
                    {
                        (injectedProduct, injected) = (p.Product, entry);
                        ConsentCoveredTheInjection(p, entry.PerformedAt);
                    }
                    break;
                case Step.InjectWrongCode when p.Product is not null:
                    Assert.NotNull(p.Inject(p.Injection(code: "CP-0000000000")));
                    break;
                case Step.InjectWrongKnee when p.Product is not null:
                    Assert.NotNull(p.Inject(p.Injection(knee: p.Case.Knee == KneeSide.Left ? KneeSide.Right : KneeSide.Left)));
                    break;
                case Step.InjectNoUltrasound when p.Product is not null:
                    Assert.NotNull(p.Inject(p.Injection(ultrasound: false)));
                    break;
                case Step.InjectLate when p.Product is not null:
                    Assert.NotNull(p.Inject(p.Injection(at: now.AddHours(5)), now: now.AddHours(6)));
                    break;
                case Step.Close:
                    p.Case.Close("stopped", now);
                    break;
            }
            if (result is not null) Assert.Equal(before, p.Case.Stage); // a refused step changes nothing
        }

        if (injected is null)
        {
            Assert.NotEqual(CaseStage.Injected, p.Case.Stage);
            return;
        }
        Assert.True(p.Case.Screening.IsEligible);
        Assert.True(injectedProduct!.IsReleased);
        Assert.Equal(p.Case.Id, injectedProduct.CaseId);
        Assert.Equal(injectedProduct.ProductCode, injected.ProductCode);
        Assert.Equal(p.Case.Knee, injected.Knee);
        Assert.True(injected.UltrasoundGuided);
        Assert.True(injected.PerformedAt <= injectedProduct.Processing!.UseBy);
    }

    /// <summary>Checked from the records themselves, not through the rule under test.</summary>
    private static void ConsentCoveredTheInjection(PathwayCase p, DateTimeOffset at)
    {
        var latest = p.Documents.Where(d => d.Signature!.SignedAt <= at).MaxBy(d => d.Signature!.SignedAt);
        Assert.NotNull(latest);
        Assert.Equal(ConsentStatus.Signed, latest.Status);
        Assert.True(at - latest.Signature!.SignedAt <= TimeSpan.FromDays(ConsentRules.DefaultValidityDays));
        var signedVersion = p.Template.Versions.Single(v => v.Id == latest.TemplateVersionId).Version;
        Assert.DoesNotContain(p.Template.Versions, v => v.RequiresReconsent && v.PublishedAt <= at && v.Version > signedVersion);
    }
}
