using KneeClinic.Core.FollowUp;

namespace KneeClinic.Core.Tests;

/// <summary>KOOS scores checked against answer sets worked out by hand.</summary>
public sealed class KoosScoring
{
    // Questionnaire order: S1-S7, P1-P9, A1-A17, SP1-SP5, Q1-Q4.
    private static KoosAnswers Answers(string symptoms, string pain, string daily, string sport, string quality) =>
        KoosAnswers.Parse(symptoms + pain + daily + sport + quality);

    [Fact]
    public void NoProblemsScoresOneHundredAndExtremeProblemsZero()
    {
        var none = Answers("0000000", "000000000", "00000000000000000", "00000", "0000").Score();
        var extreme = Answers("4444444", "444444444", "44444444444444444", "44444", "4444").Score();

        Assert.Equal(new KoosScores(100, 100, 100, 100, 100), none);
        Assert.Equal(new KoosScores(0, 0, 0, 0, 0), extreme);
    }

    [Fact]
    public void EachSubscaleIsOneHundredMinusTheMeanTimesTwentyFive()
    {
        // Symptoms 1,2,2,1,0,3,1: sum 10 over 7, mean 1.428571..., 100 - 35.714285... = 64.29
        // Pain 2,2,3,1,1,2,2,3,2: sum 18 over 9, mean 2, 100 - 50 = 50
        // Daily living: ten 1s and seven 2s, sum 24 over 17, mean 1.411764..., 100 - 35.294117... = 64.71
        // Sport 4,3,4,4,3: sum 18 over 5, mean 3.6, 100 - 90 = 10
        // Quality of life 3,2,3,2: mean 2.5, 100 - 62.5 = 37.5
        var scores = Answers("1221031", "223112232", "11111111112222222", "43443", "3232").Score();

        Assert.Equal(64.29m, scores.Symptoms);
        Assert.Equal(50m, scores.Pain);
        Assert.Equal(64.71m, scores.DailyLiving);
        Assert.Equal(10m, scores.SportRecreation);
        Assert.Equal(37.5m, scores.QualityOfLife);
    }

    [Fact]
    public void OneOrTwoBlanksAreFilledWithTheMeanOfTheAnsweredItems()
    {
        // Pain with P3 and P7 blank: 2,2,.,1,1,2,.,3,2 -> sum 13 over 7 answered, mean 1.857142..., 100 - 46.428571... = 53.57
        // Quality of life with Q4 blank: 3,2,3 -> mean 2.666..., 100 - 66.666... = 33.33
        var scores = Answers("1221031", "22.112.32", "11111111112222222", "43443", "323.").Score();

        Assert.Equal(53.57m, scores.Pain);
        Assert.Equal(33.33m, scores.QualityOfLife);
    }

    [Fact]
    public void ASubscaleWithMoreThanTwoBlanksIsNotScored()
    {
        var scores = Answers("1221031", "2...12232", "11111111112222222", "4.4.3", ".2..").Score();

        Assert.Null(scores.Pain);
        Assert.Null(scores.QualityOfLife);
        // Sport with two blanks is still scored: 4,4,3 -> mean 3.666..., 100 - 91.666... = 8.33
        Assert.Equal(8.33m, scores.SportRecreation);
    }

    [Fact]
    public void StoredAnswersReadBackTheSame()
    {
        var answers = Answers("1221031", "22.112.32", "11111111112222222", "43443", "323.");
        Assert.Equal("122103122.112.321111111111222222243443323.", answers.ToString());
        Assert.Equal(answers.Items, KoosAnswers.Parse(answers.ToString()).Items);
        Assert.Equal(42, KoosAnswers.Codes.Count);
        Assert.Equal(("SP1", KoosSubscale.SportRecreation), KoosAnswers.Codes[33]);
    }
}
