//! `flowc explain CODE`: each code's long explanation with a wrong and a right example.
