//! The `function` label value of an instrumented function: its path inside its module, methods with their type.
//!
//! An attribute on a method cannot see the `impl` around it, and a `static` inside the method cannot name `Self`.
//! The attribute therefore emits a nested `fn` whose type name (`core::any::type_name_of_val`) is the full path of
//! the function it sits in, as the compiler prints it: `app::jobs::Worker<_>::run::__metrics_function`, or
//! `<app::jobs::Worker<_> as app::Run>::run::__metrics_function` in a trait implementation, with a `{{closure}}`
//! segment per async body around it. [`function_label`] reduces that to `Worker::run`; the module is the `module`
//! label. The path is read once, when the families are described, never on a run.

/// The `function` label value read from `path` (a type name as described above, minus nothing) for a function in
/// module `module`: the path after the module, without generic arguments, closures or the nested `fn`'s own name;
/// a trait implementation's method is named with the implementing type's last segment.
pub(crate) fn function_label(path: &str, module: &str) -> String {
    // The nested fn is the last segment; async bodies add `{{closure}}` segments.
    let path = path.rsplit_once("::").map_or(path, |(outer, _)| outer);
    let mut segments: Vec<String> = Vec::new();
    let rest = if let Some(qualified) = path.strip_prefix('<') {
        // `<Type as Trait>::method`: the type's last segment, then what follows the closing `>`.
        let close = matching_close(qualified);
        let inner = &qualified[..close];
        let ty = inner.split_once(" as ").map_or(inner, |(ty, _)| ty);
        segments.push(last_segment(&strip_generics(ty)).to_owned());
        qualified[close + 1..].trim_start_matches("::")
    } else {
        path.strip_prefix(module)
            .and_then(|rest| rest.strip_prefix("::"))
            .unwrap_or(path)
    };
    let rest = strip_generics(rest);
    segments.extend(
        rest.split("::")
            .filter(|segment| !segment.is_empty() && *segment != "{{closure}}")
            .map(str::to_owned),
    );
    segments.join("::")
}

/// The index of the `>` closing the `<` just before `text`.
fn matching_close(text: &str) -> usize {
    let mut depth = 0usize;
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            b'<' => depth += 1,
            b'>' if depth == 0 => return index,
            b'>' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// `text` without any `<..>` groups.
fn strip_generics(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0 && c != '<'
        })
        .collect()
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::function_label;

    fn here() -> &'static str {
        fn __metrics_function() {}
        core::any::type_name_of_val(&__metrics_function)
    }

    struct Worker<T>(T);

    impl<T> Worker<T> {
        fn run(&self) -> &'static str {
            fn __metrics_function() {}
            let _ = &self.0;
            core::any::type_name_of_val(&__metrics_function)
        }
    }

    trait Run {
        fn go(&self) -> &'static str;
    }

    impl Run for Worker<u8> {
        fn go(&self) -> &'static str {
            fn __metrics_function() {}
            core::any::type_name_of_val(&__metrics_function)
        }
    }

    #[test]
    fn functions_are_named_inside_their_module_and_methods_with_their_type() {
        let module = module_path!();
        assert_eq!(function_label(here(), module), "here");
        assert_eq!(function_label(Worker(1u8).run(), module), "Worker::run");
        assert_eq!(function_label(Worker(1u8).go(), module), "Worker::go");
    }

    #[test]
    fn compiler_paths_are_reduced() {
        for (path, expected) in [
            (
                "app::jobs::Worker<_>::arun::{{closure}}::__metrics_function",
                "Worker::arun",
            ),
            ("<u8 as app::Run>::go::__metrics_function", "u8::go"),
            (
                "<app::jobs::Worker<alloc::vec::Vec<u8>> as app::Run<T>>::go::{{closure}}::__metrics_function",
                "Worker::go",
            ),
            (
                "app::jobs::outer::inner::__metrics_function",
                "outer::inner",
            ),
            ("elsewhere::f::__metrics_function", "elsewhere::f"),
        ] {
            assert_eq!(function_label(path, "app::jobs"), expected, "{path}");
        }
    }
}
