using AffectMae.Models.IO;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.IO;

// Fixtures: make_authors_fixtures.py §1 (DataParallel state dicts) and §3 (MAE layouts, hostile pickles).
public sealed class PyTorchFileTests
{
    #region Reading

    [Fact]
    public void A_DataParallel_state_dict_reads_with_every_key_and_value_as_saved()
    {
        using var scope = NewDisposeScope();
        var fromPickle = PyTorchFile.LoadStateDict(Fixture.File("authors_tiny_va.pt"));
        var fromSafeTensors = SafeTensors.Load(Fixture.File("authors_tiny_va.safetensors"));

        fromPickle.Keys.Should().BeEquivalentTo(fromSafeTensors.Keys);
        fromPickle.Keys.Should().Contain(["module.temporal.network.0.conv1.weight_g", "module.temporal.network.0.net.0.weight_g", "module.head.1.num_batches_tracked"]);
        foreach (var (key, value) in fromSafeTensors)
        {
            fromPickle[key].dtype.Should().Be(value.dtype, key);
            Same(fromPickle[key], value).Should().BeTrue($"{key} is read bit for bit");
        }
        fromPickle["module.head.1.num_batches_tracked"].item<long>().Should().Be(37);
    }

    [Fact]
    public void The_model_entry_of_an_MAE_training_checkpoint_reads_and_the_rest_is_left_out()
    {
        using var scope = NewDisposeScope();
        // mae_tiny_official.pth = {'model', 'optimizer' (AdamW state), 'epoch', 'scaler', 'args' (argparse.Namespace)}.
        var model = PyTorchFile.LoadStateDict(Fixture.File("mae_tiny_official.pth"), entry: "model");
        var expected = Fixture.Load("mae_tiny.weights");

        model.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (key, value) in expected)
            Same(model[key], value).Should().BeTrue(key);
    }

    [Fact]
    public void The_whole_checkpoint_reads_as_dictionaries_with_the_namespace_fields()
    {
        using var scope = NewDisposeScope();
        var top = PyTorchFile.Load(Fixture.File("mae_tiny_official.pth"));

        top.Keys.Cast<string>().Should().BeEquivalentTo("model", "optimizer", "epoch", "scaler", "args");
        top["epoch"].Should().Be(399);
        var args = top["args"].Should().BeAssignableTo<IDictionary<string, object>>().Subject;
        args["mask_ratio"].Should().Be(0.75);
        args["model"].Should().Be("mae_vit_base_patch16");
    }

    [Fact]
    public void A_missing_entry_is_reported_with_the_keys_the_file_has()
    {
        var load = () => PyTorchFile.LoadStateDict(Fixture.File("mae_tiny_official.pth"), entry: "state_dict");

        load.Should().Throw<InvalidDataException>().WithMessage("*mae_tiny_official.pth: the file has no entry 'state_dict'; its top-level keys are [\"args\", \"epoch\", \"model\", \"optimizer\", \"scaler\"]*");
    }

    [Fact]
    public void A_checkpoint_read_without_its_entry_is_not_taken_for_a_state_dict()
    {
        var load = () => PyTorchFile.LoadStateDict(Fixture.File("mae_tiny_official.pth"));

        load.Should().Throw<InvalidDataException>().WithMessage("*mae_tiny_official.pth: its top level is not a state dict*Name the entry that holds the weights*model*");
    }

    [Fact]
    public void An_optional_entry_falls_back_to_the_top_level()
    {
        using var scope = NewDisposeScope();
        var tensors = PyTorchFile.LoadStateDict(Fixture.File("authors_tiny_va.pt"), entry: "model", entryIsOptional: true);

        tensors.Should().ContainKey("module.head.0.weight");
    }

    #endregion

    #region Refused files

    [Theory]
    [InlineData("pickle_os_system.pth", "GLOBAL", 180)]               // offsets from Python's pickletools.genops
    [InlineData("pickle_os_system_protocol4.pth", "STACK_GLOBAL", 188)]
    public void A_pickle_that_calls_os_system_is_refused_naming_the_file_and_the_global(string file, string opcode, long offset)
    {
        var load = () => PyTorchFile.LoadStateDict(Fixture.File(file));

        var refused = load.Should().Throw<UnsafePickleException>()
            .WithMessage($"*{file}: refused: its pickle refers to the Python global 'posix.system' ({opcode} at byte {offset})*").Which;
        refused.FilePath.Should().EndWith(file);
        refused.Global.Should().Be(new PickleGlobal("posix.system", offset, opcode));
    }

    [Fact]
    public void A_truncated_archive_is_reported_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.pth");
        var bytes = File.ReadAllBytes(Fixture.File("authors_tiny_va.pt"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        try
        {
            var load = () => PyTorchFile.LoadStateDict(path);

            load.Should().Throw<InvalidDataException>().WithMessage($"{path}: the zip archive is truncated or damaged*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_reported_with_what_to_do()
    {
        var load = () => PyTorchFile.LoadStateDict(Fixture.File("authors_tiny_va.safetensors"));

        load.Should().Throw<InvalidDataException>().WithMessage("*authors_tiny_va.safetensors: not a torch.save zip archive*legacy format*");
    }

    #endregion

    #region Pickle opcodes

    [Fact]
    public void Scanning_a_state_dict_finds_only_the_tensor_rebuild_storage_and_dict_globals()
    {
        var globals = GlobalsOf("mae_tiny_official.pth");

        globals.Select(g => g.Name).Distinct().Should().BeEquivalentTo(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage", "argparse.Namespace");
    }

    [Fact]
    public void A_stack_global_made_of_memoised_strings_is_resolved()
    {
        // PROTO 4, SHORT_BINUNICODE "os", MEMOIZE, SHORT_BINUNICODE "system", MEMOIZE, STACK_GLOBAL,
        // then BINGET 0, BINGET 1, STACK_GLOBAL again (the strings fetched back from the memo), STOP.
        byte[] pickle = [0x80, 4, 0x8c, 2, .."os"u8, 0x94, 0x8c, 6, .."system"u8, 0x94, 0x93, (byte)'h', 0, (byte)'h', 1, 0x93, (byte)'.'];

        PickleGlobals.Scan(pickle).Should().Equal(new PickleGlobal("os.system", 16, "STACK_GLOBAL"), new PickleGlobal("os.system", 21, "STACK_GLOBAL"));
    }

    [Fact]
    public void A_stack_global_whose_operands_are_not_literal_strings_cannot_be_checked()
    {
        // SHORT_BINUNICODE "os", BININT1 1 (not a string), STACK_GLOBAL, STOP.
        byte[] pickle = [0x8c, 2, .."os"u8, (byte)'K', 1, 0x93, (byte)'.'];

        PickleGlobals.Scan(pickle).Should().Equal(new PickleGlobal(null, 6, "STACK_GLOBAL"));
    }

    [Fact]
    public void An_extension_code_cannot_be_checked()
    {
        byte[] pickle = [0x80, 2, 0x82, 7, (byte)'.'];   // EXT1 7: a global from copyreg's registry

        PickleGlobals.Scan(pickle).Should().Equal(new PickleGlobal(null, 2, "EXT1"));
    }

    [Fact]
    public void A_pickle_cut_before_STOP_and_an_unknown_opcode_are_reported()
    {
        var cut = () => PickleGlobals.Scan([0x80, 2, (byte)'c', .."posix\nsys"u8]);
        var unknown = () => PickleGlobals.Scan([0x80, 2, 0xff, (byte)'.']);

        cut.Should().Throw<InvalidDataException>().WithMessage("*truncated*");
        unknown.Should().Throw<InvalidDataException>().WithMessage("Unknown pickle opcode 0xff at byte 2*");
    }

    private static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static IReadOnlyList<PickleGlobal> GlobalsOf(string file)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(Fixture.File(file));
        using var data = archive.Entries.Single(e => e.Name == "data.pkl").Open();
        using var buffer = new MemoryStream();
        data.CopyTo(buffer);
        return PickleGlobals.Scan(buffer.ToArray());
    }

    #endregion
}
