using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class AbawLayoutTests : IDisposable
{
    private readonly TempAbawRoot temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Annotated_frame_without_image_and_image_without_annotation_are_both_reported()
    {
        // Five annotation lines (frames 1..5); images 1, 2, 4, 5 and 7 → frame 3 lacks its image, image 7 its line.
        var annotation = new ExpressionAnnotation("v1", [0, 1, 2, 3, 4]);
        temp.Layout.WriteAnnotation(AbawSplit.Train, annotation);
        temp.AddFrames("v1", 1, 2, 4, 5, 7);

        var alignment = temp.Layout.CheckFrames(annotation);

        alignment.MissingImages.Should().Equal(3);
        alignment.UnannotatedImages.Should().Equal(7);
        alignment.ImageCount.Should().Be(5);
        alignment.AnnotatedFrameCount.Should().Be(5);
        alignment.IsComplete.Should().BeFalse();
        // Nothing is renumbered: label index 3 is still frame 4, whose image is 00004.jpg.
        annotation.Labels[3].Should().Be(3);
        File.Exists(temp.Layout.FramePath("v1", 4)).Should().BeTrue();
    }

    [Fact]
    public void Files_that_are_not_canonical_frame_images_are_ignored()
    {
        // "3.jpg" and "000003.jpg" are not what {3:D5}.jpg gives; the notes and the .png are not frames either.
        temp.AddFrames("v", 1, 2);
        string folder = temp.Layout.FramesFolder("v");
        foreach (string name in new[] { "3.jpg", "000003.jpg", "notes.txt", "00003.png" })
            File.WriteAllBytes(Path.Combine(folder, name), []);

        var alignment = temp.Layout.CheckFrames("v", annotatedFrameCount: 3);

        alignment.ImageCount.Should().Be(2);
        alignment.MissingImages.Should().Equal(3);
        alignment.UnannotatedImages.Should().BeEmpty();
    }

    [Fact]
    public void A_video_whose_images_match_its_lines_is_complete()
    {
        temp.AddFrames("v", 1, 2, 3);

        temp.Layout.CheckFrames("v", 3).IsComplete.Should().BeTrue();
    }

    [Fact]
    public void Frame_paths_follow_cropped_aligned_video_five_digit_jpg()
    {
        temp.Layout.FramePath("2-30-640x360", 12)
            .Should().Be(Path.Combine(temp.Root, "cropped_aligned", "2-30-640x360", "00012.jpg"));
    }

    [Fact]
    public void The_layout_discovers_tasks_videos_and_the_official_split()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("b", [0]));
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [0]));
        temp.Layout.WriteAnnotation(AbawSplit.Validation, new ExpressionAnnotation("c", [0]));
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ActionUnitAnnotation("a", new int[12]));
        temp.WriteText(Path.Combine("AU_Detection_Challenge", "Train_Set", "readme.md"), "not a video");

        temp.Layout.AvailableTasks.Should().Equal(AffectTask.Expression, AffectTask.ActionUnits);
        temp.Layout.HasAnnotations(AffectTask.ValenceArousal).Should().BeFalse();
        temp.Layout.Videos(AffectTask.ActionUnits, AbawSplit.Train).Should().Equal("a");
        var split = temp.Layout.OfficialSplit(AffectTask.Expression);
        split.Train.Should().Equal("a", "b");   // sorted, whatever the write order
        split.Validation.Should().Equal("c");
    }

    [Fact]
    public void The_abaw5_expression_folder_name_is_accepted()
    {
        temp.WriteText(Path.Combine("EXPR_Classification_Challenge", "Train_Set", "v.txt"),
            "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n6\n");

        temp.Layout.AvailableTasks.Should().Equal(AffectTask.Expression);
        var read = temp.Layout.ReadAnnotation(AffectTask.Expression, AbawSplit.Train, "v");
        read.Should().Be(new ExpressionAnnotation("v", [6]));
    }

    [Fact]
    public void A_missing_root_folder_is_named_in_the_exception()
    {
        string missing = Path.Combine(temp.Root, "nowhere");

        FluentActions.Invoking(() => new AbawLayout(missing)).Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"Aff-Wild2 root folder '{missing}' not found; expected a folder holding VA_Estimation_Challenge*cropped_aligned.");
    }

    [Fact]
    public void A_missing_annotation_set_is_named_with_the_expected_layout()
    {
        string folder = Path.Combine(temp.Root, "VA_Estimation_Challenge");

        FluentActions.Invoking(() => temp.Layout.Videos(AffectTask.ValenceArousal, AbawSplit.Train))
            .Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"Annotation set folder '{folder}' not found; expected <root>/VA_Estimation_Challenge/{{Train_Set,Validation_Set}}/<video>.txt*");
    }

    [Fact]
    public void A_missing_split_folder_is_named()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ValenceArousalAnnotation("v", [0f, 0f]));
        string folder = Path.Combine(temp.Root, "VA_Estimation_Challenge", "Validation_Set");

        FluentActions.Invoking(() => temp.Layout.OfficialSplit(AffectTask.ValenceArousal))
            .Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"Split folder '{folder}' not found*");
    }

    [Fact]
    public void A_missing_frame_folder_is_named()
    {
        string folder = Path.Combine(temp.Root, "cropped_aligned", "v");

        FluentActions.Invoking(() => temp.Layout.CheckFrames("v", 3))
            .Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"Frame folder '{folder}' not found; expected cropped_aligned/v/00001.jpg*");
    }

    [Fact]
    public void Reading_annotations_as_the_wrong_record_type_is_rejected()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("v", [0]));

        FluentActions.Invoking(() => temp.Layout.ReadAnnotations<ValenceArousalAnnotation>(AffectTask.Expression, AbawSplit.Train))
            .Should().Throw<ArgumentException>()
            .WithMessage("Task Expression is read as ExpressionAnnotation, not ValenceArousalAnnotation*");
    }

    [Fact]
    public void Reading_a_split_as_base_records_yields_every_video_in_order()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ActionUnitAnnotation("y", new int[24]));
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ActionUnitAnnotation("x", new int[12]));

        var read = temp.Layout.ReadAnnotations<VideoAnnotation>(AffectTask.ActionUnits, AbawSplit.Train).ToList();

        read.Select(a => (a.Video, a.FrameCount)).Should().Equal(("x", 1), ("y", 2));
    }
    [Fact]
    public void An_annotation_entry_that_is_a_folder_is_refused_instead_of_dropping_its_labels()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [0]));
        string folder = Path.Combine(temp.Root, "EXPR_Recognition_Challenge", "Train_Set", "b.txt");
        Directory.CreateDirectory(folder);

        FluentActions.Invoking(() => temp.Layout.Videos(AffectTask.Expression, AbawSplit.Train))
            .Should().Throw<IOException>().WithMessage($"Annotation file '{folder}' is a folder, not a regular file*");
    }

    [Fact]
    public void A_video_in_both_splits_of_a_task_is_refused_naming_both_files()
    {
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [0]));
        temp.Layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("b", [0]));
        temp.Layout.WriteAnnotation(AbawSplit.Validation, new ExpressionAnnotation("b", [1]));
        string train = temp.Layout.AnnotationPath(AffectTask.Expression, AbawSplit.Train, "b");
        string validation = temp.Layout.AnnotationPath(AffectTask.Expression, AbawSplit.Validation, "b");

        FluentActions.Invoking(() => temp.Layout.OfficialSplit(AffectTask.Expression)).Should().Throw<InvalidDataException>()
            .WithMessage($"Video 'b' is in both splits: '{train}' and '{validation}'. Its frames would be trained on and validated on*");
    }

    [Fact]
    public void The_layout_passes_its_line_length_cap_to_the_reader()
    {
        // The header holds 59 characters; line 2 holds 64: "3" and 63 spaces.
        temp.WriteText(Path.Combine("EXPR_Recognition_Challenge", "Train_Set", "v.txt"),
            "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n3" + new string(' ', 63) + "\n");
        var strict = new AbawLayout(temp.Root) { MaxAnnotationLineLength = 64 };
        var stricter = new AbawLayout(temp.Root) { MaxAnnotationLineLength = 63 };

        strict.ReadAnnotation(AffectTask.Expression, AbawSplit.Train, "v").Should().Be(new ExpressionAnnotation("v", [3]));
        FluentActions.Invoking(() => stricter.ReadAnnotation(AffectTask.Expression, AbawSplit.Train, "v"))
            .Should().Throw<AnnotationFormatException>().Which.LineNumber.Should().Be(2);
        FluentActions.Invoking(() => new AbawLayout(temp.Root) { MaxAnnotationLineLength = 0 }).Should().Throw<ArgumentOutOfRangeException>();
    }
}
