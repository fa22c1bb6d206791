// The plan of a data set: names, split, determinism, the guaranteed gaps, and the label coverage of the default size
// (planned without rendering, so the default 36 videos × 200–500 frames cost a fraction of a second).
using AffectMae.Cli.Synthetic;
using AffectMae.Core.Data;
using AffectMae.Metrics;

namespace AffectMae.Cli.Tests;

public sealed class SyntheticPlannerTests
{
    [Fact]
    public void The_last_two_of_three_or_more_videos_are_a_left_right_pair()
    {
        SyntheticPlanner.VideoNames(4).Should().Equal("synth-000", "synth-001", "synth-002_left", "synth-002_right");
        SyntheticPlanner.VideoNames(2).Should().Equal("synth-000", "synth-001");
    }

    [Fact]
    public void The_default_set_puts_a_third_of_the_recordings_in_validation_and_keeps_the_pair_together()
    {   // 36 videos = 34 single recordings + 1 pair = 35 recordings; round(35 / 3) = 12 go to validation
        var videos = SyntheticPlanner.Plan(new SyntheticOptions());
        var recordings = videos.GroupBy(v => VideoFolds.RecordingOf(v.Name)).ToList();
        recordings.Should().HaveCount(35);
        recordings.Count(r => r.First().Split == AbawSplit.Validation).Should().Be(12);
        recordings.Should().OnlyContain(r => r.Select(v => v.Split).Distinct().Count() == 1);
        videos[^1].FrameCount.Should().Be(videos[^2].FrameCount, "both subjects of a recording share its frames");
    }

    [Fact]
    public void Frame_counts_stay_within_the_requested_range()
    {
        var videos = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 10, MinFrames = 50, MaxFrames = 60, Seed = 3 });
        videos.Should().OnlyContain(v => v.FrameCount >= 50 && v.FrameCount <= 60);
    }

    [Fact]
    public void Planning_twice_with_one_seed_gives_equal_annotations_and_another_seed_different_ones()
    {
        var options = new SyntheticOptions { Videos = 5, MinFrames = 60, MaxFrames = 80, Seed = 11 };
        var first = SyntheticPlanner.Plan(options);
        var again = SyntheticPlanner.Plan(options);
        var other = SyntheticPlanner.Plan(options with { Seed = 12 });
        for (int i = 0; i < first.Count; i++)
        {
            again[i].ValenceArousal.Should().Be(first[i].ValenceArousal);
            again[i].Expression.Should().Be(first[i].Expression);
            again[i].ActionUnits.Should().Be(first[i].ActionUnits);
            again[i].Scene.Should().Equal(first[i].Scene);
        }
        other[0].ValenceArousal.Should().NotBe(first[0].ValenceArousal);
    }

    [Fact]
    public void A_video_does_not_change_when_more_videos_are_planned()
    {
        var small = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 4, Seed = 5 });
        var large = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 9, Seed = 5 });
        large[1].Latent.Should().Equal(small[1].Latent);
        large[1].ActionUnits.Values.Should().Equal(small[1].ActionUnits.Values);
    }

    [Fact]
    public void The_first_video_always_has_missing_images_and_a_run_unlabelled_in_every_file()
    {
        var video = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 1, MinFrames = 40, MaxFrames = 40, Seed = 99 })[0];
        video.MissingFrameNumbers.Should().NotBeEmpty();
        video.ValenceArousal.LabelledFrameCount.Should().BeLessThan(video.FrameCount);
        video.Expression.Labels.Should().Contain(AffectLabels.UnlabelledExpression);
        video.ActionUnits.LabelledFrameCount.Should().BeLessThan(video.FrameCount);
    }

    [Fact]
    public void The_default_set_holds_every_expression_and_every_action_unit_with_realistic_imbalance()
    {
        var labels = LabelStatistics.Of(SyntheticPlanner.Plan(new SyntheticOptions()));
        labels.ExpressionCounts.Should().OnlyContain(count => count > 0);
        labels.ActionUnitCounts.Should().OnlyContain(count => count > 0);
        long neutral = labels.ExpressionCounts[(int)ExpressionClass.Neutral];
        labels.ExpressionCounts.Should().OnlyContain(count => count <= neutral, "Neutral is the largest class, as in Aff-Wild2");
        labels.ExpressionCounts[(int)ExpressionClass.Fear].Should().BeLessThan(labels.LabelledExpressionFrames / 10);
        labels.ExpressionCounts[(int)ExpressionClass.Disgust].Should().BeLessThan(labels.LabelledExpressionFrames / 10);
    }

    [Fact]
    public void Labels_in_the_plan_follow_the_rules_from_each_frames_latent_state()
    {
        var video = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 1, MinFrames = 200, MaxFrames = 200, Seed = 4 })[0];
        for (int t = 0; t < video.FrameCount; t++)
        {
            if (video.Expression.Labels[t] == AffectLabels.UnlabelledExpression) continue;
            video.Expression.Labels[t].Should().Be((int)AffectRules.Expression(video.Latent[t]));
        }
        for (int t = 0; t < video.FrameCount; t++)
        {
            if (AffectLabels.IsUnlabelledActionUnit(video.ActionUnits.Row(t)[0])) continue;
            video.ActionUnits.Row(t).ToArray().Should().Equal(AffectRules.ActionUnits(video.Latent[t]));
        }
    }

    [Fact]
    public void Valence_arousal_labels_trail_the_face_by_the_rating_lag()
    {   // the label of frame t is the latent state of frame t − 30, and of frame 0 before that
        var video = SyntheticPlanner.Plan(new SyntheticOptions { Videos = 1, MinFrames = 200, MaxFrames = 200, Seed = 4 })[0];
        var labels = video.ValenceArousal.Values;
        int checkedFrames = 0;
        for (int t = 0; t < video.FrameCount; t++)
        {
            if (labels[2 * t] == AffectLabels.UnlabelledValenceArousal) continue;
            var rated = video.Latent[Math.Max(0, t - 30)];
            (labels[2 * t], labels[2 * t + 1]).Should().Be((rated.Valence, rated.Arousal), $"frame {t} is rated as the face of frame {Math.Max(0, t - 30)}");
            checkedFrames++;
        }
        checkedFrames.Should().BeGreaterThan(100);
        Enumerable.Range(30, 170).Should().Contain(t => video.Latent[t].Valence != video.Latent[t - 30].Valence, "so the lag is visible in the labels");
    }

    [Fact]
    public void Invalid_options_are_reported_by_name()
    {
        var options = new SyntheticOptions { MinFrames = 500, MaxFrames = 400, Size = 8 };
        var errors = options.Validate();
        errors.Should().Contain(e => e.Contains("MaxFrames") && e.Contains("MinFrames"));
        errors.Should().Contain(e => e.Contains("Size"));
        FluentActions.Invoking(() => SyntheticPlanner.Plan(options)).Should().Throw<ArgumentException>();
    }
}
