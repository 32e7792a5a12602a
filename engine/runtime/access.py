"""Who may do what to a case (DESIGN.md decision 5: SpiffWorkflow's
task.run() checks nothing, so every command checks here first). `user` is
anything with id, role, department_code and active (a User or a UserRecord)."""

STAFF_ROLES = ("clerk", "reviewer")


def may_work_in(user, department_code: str | None) -> bool:
    """Work items are offered to the active clerks and reviewers of the
    task's department."""
    return bool(
        user.active and department_code and user.role in STAFF_ROLES
        and user.department_code == department_code
    )


def may_complete(user, info, case) -> bool:
    """The task's department; and, for a task marked for the applicant
    (UserTaskInfo.applicant, the correction supply), the case's own
    applicant too."""
    if may_work_in(user, info.department):
        return True
    return bool(info.applicant and user.active and user.role == "applicant"
                and case.applicant_id is not None and case.applicant_id == user.id)


def may_start_cases(user) -> bool:
    return user.active and (user.role == "applicant" or (user.role == "clerk" and user.department_code == "CK"))


def may_withdraw(user, case) -> bool:
    if not user.active:
        return False
    if user.role == "applicant":
        return case.applicant_id == user.id
    return user.role == "clerk" and user.department_code == "CK"
